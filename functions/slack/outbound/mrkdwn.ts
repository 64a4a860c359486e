import { safeHttpUrl } from '../../core/safe-url';

/**
 * Escaping for Slack mrkdwn. Slack treats `<…>` as control sequences (mentions, links,
 * `<!channel>`) and `&` as the start of an entity, so untrusted text must have exactly
 * these three characters escaped (Slack's "Escaping text" rules). Everything else, emoji and
 * other unicode included, passes through unchanged.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// A word joiner after the `@` keeps the text readable but stops any client-side or
// `link_names` parsing from turning it into a broadcast mention.
const BROADCAST = /@(here|channel|everyone)\b/gi;

/** Escapes untrusted text and defuses plain-text broadcast mentions (`@here`, `@channel`). */
export function untrusted(text: string): string {
  return escapeMrkdwn(text).replace(BROADCAST, '@\u2060$1');
}

/** A link whose label is untrusted text; only http(s) URLs become links, anything else is shown as text. */
export function mrkdwnLink(url: string, label: string): string {
  const safe = safeHttpUrl(url);
  if (!safe) return untrusted(label);
  // URL() percent-encodes spaces and angle brackets; `|` would end the URL part early.
  return `<${safe.replace(/\|/g, '%7C')}|${untrusted(label).replace(/\|/g, '¦')}>`;
}
