import { escapeMrkdwn, untrusted } from '../slack/outbound/mrkdwn';
import { type RenderedMessage, renderDocument } from '../slack/outbound/render-document';
import { formatInstant } from '../core/durations';
import type { KnownBlock } from '../ports/chat';
import type { WrittenDocument } from '../ports/writer';
import type { Approval } from './approval';

export const APPROVE_ACTION = 'approval.approve';
export const REJECT_ACTION = 'approval.reject';
/** `callback_id` of the modal that asks for a rejection reason. */
export const REJECT_REASON_CALLBACK = 'approval.reject_reason';
export const REASON_BLOCK = 'reason';
export const REASON_ACTION = 'reason';

/** Approver ids are validated Slack user ids (config), so they may become mentions; nothing else does. */
function mention(userId: string): string {
  return /^[UW][A-Z0-9]{2,20}$/.test(userId) ? `<@${userId}>` : escapeMrkdwn(userId);
}

/**
 * The approval message: the written case, who may decide and by when, and either the
 * Approve/Reject buttons (pending) or the outcome, who decided and when (buttons removed).
 */
export function renderApprovalMessage(approval: Approval, document: WrittenDocument): RenderedMessage {
  const rendered = renderDocument(document);
  const facts = [
    `*${untrusted(capitalise(approval.kind))}*`,
    `Approvers: ${approval.approvers.map(mention).join(', ')}`,
    `Decide by ${formatInstant(approval.deadline)}`,
  ];
  if (approval.requester) facts.push(`Requested by ${untrusted(approval.requester)}`);
  const blocks: KnownBlock[] = [...rendered.blocks, { type: 'context', elements: [{ type: 'mrkdwn', text: facts.join(' · '), verbatim: true }] }];
  if (approval.status === 'pending') {
    blocks.push({
      type: 'actions',
      block_id: 'approval',
      elements: [
        { type: 'button', action_id: APPROVE_ACTION, value: approval.id, style: 'primary', text: { type: 'plain_text', text: 'Approve' } },
        { type: 'button', action_id: REJECT_ACTION, value: approval.id, style: 'danger', text: { type: 'plain_text', text: 'Reject' } },
      ],
    });
  } else {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: outcomeLine(approval), verbatim: true } });
  }
  const status = approval.status === 'pending' ? 'Approval needed' : capitalise(approval.status);
  return { text: `${status}: ${rendered.text}`, blocks };
}

/** One line for a decided approval, e.g. "✅ Approved by @vp at 09:12 UTC, 24 Nov 2026". */
export function outcomeLine(approval: Approval): string {
  const when = approval.decidedAt ? formatInstant(approval.decidedAt) : 'an unknown time';
  const by = approval.decidedBy && approval.decidedBy !== 'system' ? ` by ${mention(approval.decidedBy)}` : '';
  const reason = approval.reason ? `\nReason: ${untrusted(approval.reason)}` : '';
  switch (approval.status) {
    case 'approved':
      return `✅ *Approved*${by} at ${when}`;
    case 'rejected':
      return `❌ *Rejected*${by} at ${when}${reason}`;
    case 'expired':
      return `⌛ *Expired* at ${when}: no decision before the deadline`;
    case 'cancelled':
      return `🚫 *Cancelled* at ${when}${reason}`;
    case 'pending':
      return '⏳ Pending';
  }
}

/** What a refused clicker is told, privately. */
export function refusalText(approval: Approval, why: string): string {
  if (why === 'not_an_approver') {
    return `You are not an approver for this request, so nothing changed. Approvers: ${approval.approvers.map(mention).join(', ')}.`;
  }
  if (why === 'past_deadline') return `The deadline (${formatInstant(approval.deadline)}) has passed, so nothing changed; the request is expiring.`;
  return `${outcomeLine(approval).replace(/\n.*/s, '')}. Nothing changed.`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The halfway reminder, built by code: the approvers mentioned, and when the request expires. */
export function reminderMessage(approval: Approval): { text: string; blocks: KnownBlock[] } {
  const who = approval.approvers.length > 0 ? approval.approvers.map(mention).join(' ') : 'No approvers are configured';
  const what = untrusted([approval.kind, approval.subject.key].filter(Boolean).join(' '));
  const text = `⏰ Reminder: ${who}, this ${what} has no decision yet. It expires at ${formatInstant(approval.deadline)}.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text, verbatim: true } }] };
}
