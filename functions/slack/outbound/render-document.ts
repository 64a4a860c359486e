import type { KnownBlock } from '../../ports/chat';
import type { WrittenDocument } from '../../ports/writer';
import { mrkdwnLink, untrusted } from './mrkdwn';

export interface RenderedMessage {
  text: string;
  blocks: KnownBlock[];
}

/** Slack caps a section's text at 3,000 characters; a headline longer than a line stops being one. */
const SECTION_LIMIT = 2900;
const HEADLINE_LIMIT = 150;

/**
 * Turns a written document into Block Kit. Every string that came from a webhook or the
 * model is escaped here, once, and `verbatim` stops Slack from auto-linking or expanding
 * mentions inside it. `statusLine` is built by code and is escaped all the same.
 */
export function renderDocument(document: WrittenDocument, statusLine?: string): RenderedMessage {
  // The headline is a bold mrkdwn section rather than a header block: header text is
  // plain_text, whose handling of `<…>` is not one we control, so one escaping rule serves all.
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*${clip(untrusted(document.headline), HEADLINE_LIMIT)}*`, verbatim: true } }];
  if (statusLine) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: untrusted(statusLine), verbatim: true }] });
  }
  for (const section of document.sections) {
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: clip(`*${untrusted(section.heading)}*\n${untrusted(section.body)}`, SECTION_LIMIT), verbatim: true },
    });
  }
  const footer: string[] = [];
  if (document.links.length > 0) footer.push(document.links.map((link) => mrkdwnLink(link.url, link.label)).join('  ·  '));
  if (document.fallbackReason) footer.push(`_Written from the template: ${untrusted(fallbackExplanation(document.fallbackReason))}._`);
  if (footer.length > 0) {
    blocks.push({ type: 'context', elements: footer.map((text) => ({ type: 'mrkdwn' as const, text, verbatim: true })) });
  }
  const text = untrusted(statusLine ? `${document.headline} — ${statusLine}` : document.headline);
  return { text, blocks };
}

/** Cuts text to `limit` characters (code points), never inside an emoji or an entity. */
export function clip(text: string, limit: number): string {
  // Spread by code point so an emoji is never cut in half, and never end inside an entity.
  const chars = [...text];
  if (chars.length <= limit) return text;
  return `${chars
    .slice(0, limit - 1)
    .join('')
    .replace(/&[a-z]*$/, '')}…`;
}

/** A reader-facing reason for a template fallback: short, and never the raw error. */
export function fallbackExplanation(reason: string): string {
  if (reason === 'daily_token_budget_reached') return "today's AI budget is spent";
  if (reason === 'grounding_failed') return 'the AI draft stated facts that could not be checked';
  if (reason === 'structure_failed') return 'the AI draft was incomplete';
  return `the AI writer was unavailable (${reason})`;
}
