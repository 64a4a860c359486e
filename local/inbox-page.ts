import type { InboxMessage, InboxModal, InboxNotice } from '../functions/adapters/inbox-chat';
import type { KnownBlock } from '../functions/ports/chat';
import type { SetupProblem } from '../functions/outbox/setup-problems';

/** The local user's view of Slack interactivity: who they act as, their ephemeral notes, open modals. */
export interface InboxSession {
  actingAs: string;
  users: string[];
  notices: InboxNotice[];
  modals: InboxModal[];
  /** Threads in this channel are marked as escalations (SLACK_CHANNEL_ESCALATIONS). */
  escalationChannel?: string;
  /** Slack refusals a person must fix (the app not in a channel, a revoked token): shown as a banner. */
  setupProblems?: SetupProblem[];
}

const NO_SESSION: InboxSession = { actingAs: '', users: [], notices: [], modals: [] };

/** Renders the local inbox: what would have been posted to Slack, newest thread first. */
export function renderInboxPage(
  threads: { parent: InboxMessage; replies: InboxMessage[] }[],
  mode: string,
  session: InboxSession = NO_SESSION,
  panelHtml = '',
): string {
  const body =
    threads.length === 0
      ? '<p class="empty">Nothing posted yet. Run <code>npm run demo</code> in another terminal.</p>'
      : threads.map(({ parent, replies }) => renderThread(parent, replies, session.actingAs, parent.channel === session.escalationChannel)).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>exec-eng-lead · local inbox</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.45 system-ui,sans-serif;max-width:860px;margin:2rem auto;padding:0 1rem;color:#1d1c1d;background:#f8f8f8}
h1{font-size:1.3rem} .mode{color:#616061;font-size:.9rem}
.thread{background:#fff;border:1px solid #ddd;border-radius:8px;margin:1rem 0;padding:1rem}
.thread.escalation{border:2px solid #e01e5a} .badge{display:inline-block;background:#e01e5a;color:#fff;border-radius:4px;padding:.1rem .5rem;font-size:.8rem;font-weight:700}
.replies{border-left:3px solid #e0e0e0;margin:.8rem 0 0 .5rem;padding-left:1rem}
.msg{margin:.6rem 0} .meta{color:#616061;font-size:.8rem}
.header{font-weight:700;font-size:1.05rem;margin:.2rem 0} .context{color:#616061;font-size:.85rem}
.section{white-space:pre-wrap;margin:.4rem 0} .empty{color:#616061}
.actions form{display:inline} .actions button{margin:.3rem .4rem 0 0;padding:.35rem .9rem;border-radius:4px;border:1px solid #bbb;background:#fff;cursor:pointer}
.actions button.primary{background:#007a5a;color:#fff;border-color:#007a5a} .actions button.danger{background:#e01e5a;color:#fff;border-color:#e01e5a}
.notice,.modal{background:#fffbe6;border:1px solid #e6d88a;border-radius:6px;padding:.6rem .8rem;margin:.6rem 0}
.modal textarea{width:100%;min-height:4rem} .as a{margin-right:.6rem}
.setup{background:#fde8ec;border:2px solid #e01e5a;border-radius:6px;padding:.6rem .8rem;margin:.6rem 0}
.ask{background:#fff;border:1px solid #ddd;border-radius:8px;padding:.6rem .8rem;margin:.6rem 0} .ask input[type=text]{width:60%;margin:0 .4rem}
</style></head><body>
<h1>Local inbox</h1><p class="mode">${escapeHtml(mode)} · newest first · refresh to update</p>
${renderSetupProblems(session.setupProblems ?? [])}
${renderSession(session)}
${panelHtml}
${body}
</body></html>`;
}

/** One line per problem, naming the fix; documents wait (nothing is lost) until it is fixed. */
function renderSetupProblems(problems: SetupProblem[]): string {
  if (problems.length === 0) return '';
  const lines = problems
    .map((p) => `<li><code>${escapeHtml(p.code)}</code>: ${escapeHtml(p.fix)} <span class="meta">(since ${escapeHtml(p.since)})</span></li>`)
    .join('');
  return `<div class="setup" role="alert"><strong>Slack setup problem: documents are waiting until it is fixed</strong><ul>${lines}</ul></div>`;
}

function renderSession(session: InboxSession): string {
  if (!session.actingAs) return '';
  const users = session.users
    .map((user) =>
      user === session.actingAs ? `<strong>@${escapeHtml(user)}</strong>` : `<a href="/?as=${encodeURIComponent(user)}">@${escapeHtml(user)}</a>`,
    )
    .join(' ');
  const notices = session.notices
    .filter((notice) => notice.user === session.actingAs)
    .slice(-3)
    .map((notice) => `<div class="notice" role="status">Only visible to you: ${mrkdwnToHtml(notice.text)}</div>`)
    .join('\n');
  const modals = session.modals
    .filter((modal) => modal.triggerId.startsWith(`local.${session.actingAs}.`))
    .map(
      (modal) => `<form class="modal" method="post" action="/local/slack/submit"><strong>${escapeHtml(modal.title)}</strong><p>${escapeHtml(modal.prompt)}</p>
<input type="hidden" name="triggerId" value="${escapeHtml(modal.triggerId)}"><input type="hidden" name="as" value="${escapeHtml(session.actingAs)}">
${modal.error ? `<p class="error" role="alert">${escapeHtml(modal.error)}</p>` : ''}<textarea name="text" aria-label="Reason" required minlength="3"></textarea><button type="submit">${escapeHtml(modal.submitLabel)}</button></form>`,
    )
    .join('\n');
  const ask = `<form class="ask" method="post" action="/local/slack/ask" aria-label="Ask"><strong>Ask</strong> the chief of staff (as @${escapeHtml(session.actingAs)})
<input type="hidden" name="as" value="${escapeHtml(session.actingAs)}"><input type="text" name="question" aria-label="Question" placeholder="What needs me today?" required maxlength="1000">
<label><input type="checkbox" name="dm"> as a direct message</label> <button type="submit">Ask</button></form>`;
  return `<p class="as">Acting as (Slack user): ${users}</p>${ask}${notices}${modals}`;
}

function renderThread(parent: InboxMessage, replies: InboxMessage[], actingAs: string, escalation = false): string {
  const replyHtml = replies.length ? `<div class="replies">${replies.map((reply) => renderMessage(reply, actingAs)).join('\n')}</div>` : '';
  const badge = escalation ? '<div class="badge">Escalation: needs the VP</div>' : '';
  return `<article class="thread${escalation ? ' escalation' : ''}" data-ts="${escapeHtml(parent.ts)}">${badge}${renderMessage(parent, actingAs)}${replyHtml}</article>`;
}

function renderMessage(message: InboxMessage, actingAs: string): string {
  const edited = message.updatedAt ? ` · updated ${escapeHtml(message.updatedAt)}` : '';
  const blocks = message.blocks.map((block) => renderBlock(block, message, actingAs)).join('\n');
  return `<div class="msg"><div class="meta">${escapeHtml(message.channel)} · ${escapeHtml(message.postedAt)}${edited}</div>${blocks || `<div class="section">${mrkdwnToHtml(message.text)}</div>`}</div>`;
}

function renderBlock(block: KnownBlock, message: InboxMessage, actingAs: string): string {
  switch (block.type) {
    case 'actions':
      // Each button posts a signed, Slack-format interaction through the local simulator.
      return `<div class="actions">${block.elements
        .map((element) =>
          element.type === 'button'
            ? `<form method="post" action="/local/slack/click"><input type="hidden" name="actionId" value="${escapeHtml(element.action_id ?? '')}"><input type="hidden" name="value" value="${escapeHtml(element.value ?? '')}"><input type="hidden" name="channel" value="${escapeHtml(message.channel)}"><input type="hidden" name="ts" value="${escapeHtml(message.ts)}"><input type="hidden" name="as" value="${escapeHtml(actingAs)}"><button type="submit" class="${escapeHtml(element.style ?? '')}">${escapeHtml(element.text.text)}</button></form>`
            : '',
        )
        .join('')}</div>`;
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
  // A raw `<@U…>` can only have been written by our code (untrusted text is entity-escaped): a mention.
  const decoded = slackText
    .replace(/<@([UW][A-Z0-9]+)>/g, '@$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  return escapeHtml(decoded)
    .replace(/\*([^*\n]+)\*/g, '<strong>$1</strong>')
    .replace(/(^|\s)_([^_\n]+)_(?=\s|$)/g, '$1<em>$2</em>');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
