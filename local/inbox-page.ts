import type { InboxMessage } from '../functions/adapters/inbox-chat';
import type { KnownBlock } from '../functions/ports/chat';

/** Renders the local inbox: what would have been posted to Slack, newest thread first. */
export function renderInboxPage(threads: { parent: InboxMessage; replies: InboxMessage[] }[], mode: string): string {
  const body =
    threads.length === 0
      ? '<p class="empty">Nothing posted yet. Run <code>npm run demo</code> in another terminal.</p>'
      : threads.map(({ parent, replies }) => renderThread(parent, replies)).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>exec-eng-lead · local inbox</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.45 system-ui,sans-serif;max-width:860px;margin:2rem auto;padding:0 1rem;color:#1d1c1d;background:#f8f8f8}
h1{font-size:1.3rem} .mode{color:#616061;font-size:.9rem}
.thread{background:#fff;border:1px solid #ddd;border-radius:8px;margin:1rem 0;padding:1rem}
.replies{border-left:3px solid #e0e0e0;margin:.8rem 0 0 .5rem;padding-left:1rem}
.msg{margin:.6rem 0} .meta{color:#616061;font-size:.8rem}
.header{font-weight:700;font-size:1.05rem;margin:.2rem 0} .context{color:#616061;font-size:.85rem}
.section{white-space:pre-wrap;margin:.4rem 0} .empty{color:#616061}
</style></head><body>
<h1>Local inbox</h1><p class="mode">${escapeHtml(mode)} · newest first · refresh to update</p>
${body}
</body></html>`;
}

function renderThread(parent: InboxMessage, replies: InboxMessage[]): string {
  const replyHtml = replies.length
    ? `<div class="replies">${replies.map((reply) => renderMessage(reply)).join('\n')}</div>`
    : '';
  return `<article class="thread" data-ts="${escapeHtml(parent.ts)}">${renderMessage(parent)}${replyHtml}</article>`;
}

function renderMessage(message: InboxMessage): string {
  const edited = message.updatedAt ? ` · updated ${escapeHtml(message.updatedAt)}` : '';
  const blocks = message.blocks.map(renderBlock).join('\n');
  return `<div class="msg"><div class="meta">${escapeHtml(message.channel)} · ${escapeHtml(message.postedAt)}${edited}</div>${blocks || `<div class="section">${mrkdwnToHtml(message.text)}</div>`}</div>`;
}

function renderBlock(block: KnownBlock): string {
  switch (block.type) {
    case 'header':
      return `<div class="header">${escapeHtml(block.text.text)}</div>`;
    case 'section':
      return `<div class="section">${block.text ? mrkdwnToHtml(block.text.text) : ''}</div>`;
    case 'context':
      return `<div class="context">${block.elements.map((el) => ('text' in el ? mrkdwnToHtml(el.text) : '')).join(' ')}</div>`;
    default:
      return '';
  }
}

/**
 * Shows Slack mrkdwn as Slack would: `<url|label>` links, `*bold*`, `_italic_`, and the
 * three Slack entities decoded. Everything is HTML-escaped, so a hostile title shows as
 * text here exactly as it would in Slack.
 */
export function mrkdwnToHtml(text: string): string {
  const parts = text.split(/<([^<>|]+)\|([^<>]*)>/);
  let html = '';
  for (let i = 0; i < parts.length; i += 3) {
    html += formatPlain(parts[i] ?? '');
    const url = parts[i + 1];
    const label = parts[i + 2];
    if (url !== undefined && label !== undefined) {
      const href = /^https?:\/\//.test(url) ? url : '#';
      html += `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${formatPlain(label)}</a>`;
    }
  }
  return html;
}

function formatPlain(slackText: string): string {
  const decoded = slackText.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  return escapeHtml(decoded)
    .replace(/\*([^*\n]+)\*/g, '<strong>$1</strong>')
    .replace(/(^|\s)_([^_\n]+)_(?=\s|$)/g, '$1<em>$2</em>');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
