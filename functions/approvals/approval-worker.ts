import type { CanonicalEvent } from '../core/canonical-event';
import { renderDocument } from '../slack/outbound/render-document';
import { formatInstant } from '../core/durations';
import type { ApprovalStore } from '../ports/approval-store';
import type { EventBus } from '../ports/bus';
import type { Chat } from '../ports/chat';
import { documentId } from '../core/document-id';
import type { Outbox } from '../ports/outbox';
import type { Clock } from '../ports/clock';
import type { IssueTracker } from '../ports/issue-tracker';
import type { Writer } from '../ports/writer';
import type { WriteClaims } from '../ports/write-claims';
import { writeOnce, writingDeps } from '../outbox/write-once';
import { eventWriteRequest } from '../writer/event-request';
import { type Approval, approvalEvent, matchTriggers, newApproval } from './approval';
import { approvalEscalationRequest } from './approval-escalation-request';
import type { ApprovalConfig } from './approval-config';
import { refusalText, reminderMessage, renderApprovalMessage } from './render-approval';

export interface ApprovalWorkerDeps {
  approvals: ApprovalStore;
  /** Documents (the request, its updates, the escalation) go through the outbox. */
  outbox: Outbox;
  /** Only for what is not a document: a refused clicker's ephemeral message. */
  chat: Pick<Chat, 'postEphemeral'>;
  writer: Writer;
  bus: EventBus;
  clock: Clock;
  config: ApprovalConfig;
  /** Jira write-back, when configured. */
  tracker?: IssueTracker;
  leaseMs?: number;
  /** Who may write each document (one model call per document, however many deliveries race). */
  claims: WriteClaims;
  /** How a worker that lost a write claim waits (virtual time in tests). */
  sleep?: (ms: number) => Promise<void>;
}

/** Another worker holds the lease on a side effect; rethrown so the bus retries later. */
export class EffectInProgressError extends Error {
  override readonly name = 'EffectInProgressError';
}

/**
 * Source events (a Jira transition, a hiring stage change): open an approval and post its
 * request, or cancel the pending one when the issue left the approval status.
 */
export async function handleApprovalTrigger(event: CanonicalEvent, deps: ApprovalWorkerDeps): Promise<void> {
  const matches = matchTriggers(event, deps.config.triggers);
  const now = deps.clock.now();
  const cancelling = new Set(matches.filter((m) => m.action === 'cancel').map((m) => m.trigger.id));
  if (cancelling.size > 0) {
    const moved = `${event.subject.key ?? event.subject.id} moved from "${String(event.facts.fromStatus)}" to "${String(event.facts.toStatus)}" before a decision`;
    for (const pending of await deps.approvals.pending()) {
      if (pending.subjectId !== event.subject.id || !cancelling.has(pending.triggerId)) continue;
      const result = await deps.approvals.transition(pending.id, { to: 'cancelled', action: 'cancel', actor: 'system', at: now, reason: moved });
      if (result.applied) await deps.bus.publish([approvalEvent(result.approval)]);
    }
  }
  for (const match of matches) {
    if (match.action !== 'open') continue;
    const approval = newApproval(event, match.trigger, deps.config, now);
    // A new approval is the one in hand; an existing one (a redelivery) is read for its message.
    const opened = (await deps.approvals.open(approval, now)) === 'created' ? approval : await deps.approvals.get(approval.id);
    if (opened) await postRequest(opened, event, deps);
  }
}

/** The outbox id of an approval's request message; its escalation is posted in that thread. */
export function approvalRequestId(approvalId: string): string {
  return documentId('approval', approvalId, 'request');
}

function approvalEscalationId(approvalId: string): string {
  return documentId('approval', approvalId, 'escalation');
}

function approvalReminderId(approvalId: string): string {
  return documentId('approval', approvalId, 'reminder');
}

/** Writes the request and hands it to the outbox once, whatever the number of deliveries or workers. */
async function postRequest(approval: Approval, event: CanonicalEvent, deps: ApprovalWorkerDeps): Promise<void> {
  const id = approvalRequestId(approval.id);
  if (approval.message) return;
  // Two deliveries of the trigger (or a retry after a crash) write the request once between them.
  await writeOnce(writingDeps(deps), {
    id,
    write: () =>
      deps.writer.write(
        eventWriteRequest('approval.request', event, {
          approvalKind: approval.kind,
          requester: approval.requester,
          deadline: formatInstant(approval.deadline),
        }),
      ),
    send: (document) =>
      deps.outbox.send({
        id,
        kind: 'approval.request',
        channel: deps.config.channel,
        ...renderApprovalMessage(approval, document),
        document,
        ...retentionOf(approval),
      }),
  });
  // Writing can take seconds: if it was cancelled or expired meanwhile, the change event found
  // no request to revise, so show the outcome now rather than leave live buttons.
  const latest = await deps.approvals.get(approval.id);
  if (latest && latest.status !== 'pending') await reviseRequest(latest, deps.outbox);
}

/** Re-renders the request to show the approval as it is now (outcome shown, buttons removed). */
export async function reviseRequest(approval: Approval, outbox: Outbox): Promise<void> {
  const id = approvalRequestId(approval.id);
  const request = await outbox.get(id);
  if (!request?.document) return;
  await outbox.revise(id, renderApprovalMessage(approval, request.document));
}

/**
 * Approval events: refresh the message to show the outcome (buttons removed), tell a refused
 * clicker why, and write the decision back to Jira when configured.
 */
export async function handleApprovalChange(event: CanonicalEvent, deps: ApprovalWorkerDeps): Promise<void> {
  const approval = await deps.approvals.get(event.subject.id);
  if (!approval) return;
  if (event.type === 'approval.refused') {
    const clicker = event.actors.find((actor) => actor.role === 'clicker')?.name;
    const request = await deps.outbox.get(approvalRequestId(approval.id));
    if (clicker && request?.message) {
      await deps.chat.postEphemeral({ channel: request.message.channel, user: clicker, text: refusalText(approval, String(event.facts.why)) });
    }
    return;
  }
  if (event.type === 'approval.reminder') return remind(approval, deps);
  await reviseRequest(approval, deps.outbox);
  if (event.type === 'approval.decided') await writeBack(approval, deps);
  if (event.type === 'approval.expired') await escalate(approval, deps);
}

/**
 * An approval that expired undecided is escalated once, in its thread: the request is still
 * open in the source system and somebody has to decide or set a new deadline.
 */
async function escalate(approval: Approval, deps: ApprovalWorkerDeps): Promise<void> {
  const requestId = approvalRequestId(approval.id);
  const id = approvalEscalationId(approval.id);
  if (!(await deps.outbox.get(requestId))) return;
  await writeOnce(writingDeps(deps), {
    id,
    write: () => deps.writer.write(approvalEscalationRequest(approval)),
    send: (document) =>
      deps.outbox.send({
        id,
        kind: 'escalation',
        channel: deps.config.channel,
        parentId: requestId,
        ...renderDocument(document),
        document,
        ...retentionOf(approval),
      }),
  });
}

/** The halfway reminder, in the request's thread, once; nothing once decided or with no request posted. */
async function remind(approval: Approval, deps: ApprovalWorkerDeps): Promise<void> {
  const requestId = approvalRequestId(approval.id);
  const id = approvalReminderId(approval.id);
  if (approval.status !== 'pending' || (await deps.outbox.get(id))) return;
  const request = await deps.outbox.get(requestId);
  if (!request) return;
  await deps.outbox.send({
    id,
    kind: 'approval.reminder',
    channel: request.channel,
    parentId: requestId,
    ...reminderMessage(approval),
    ...retentionOf(approval),
  });
}

/** An offer's documents name the candidate: erased with them, and kept no longer than hiring data. */
function retentionOf(approval: Approval): { candidateKey?: string; expiresAt?: Date } {
  return {
    ...(approval.candidateKey ? { candidateKey: approval.candidateKey } : {}),
    ...(approval.expiresAt ? { expiresAt: new Date(approval.expiresAt * 1000) } : {}),
  };
}

async function writeBack(approval: Approval, deps: ApprovalWorkerDeps): Promise<void> {
  const { writeBack: settings } = deps.config;
  const key = approval.subject.key;
  if (!settings.enabled || !deps.tracker || approval.subject.source !== 'jira' || !key) return;
  if (approval.status !== 'approved' && approval.status !== 'rejected') return;
  const tracker = deps.tracker;
  // The comment and the transition are separate effects, so a failed transition retried by the
  // bus does not comment again.
  await once(deps, approval.id, 'comment', () => tracker.comment(key, jiraComment(approval)));
  const transition = settings.transitions[approval.status];
  if (transition) await once(deps, approval.id, 'transition', () => tracker.transition(key, transition));
}

async function once(deps: ApprovalWorkerDeps, id: string, effect: 'comment' | 'transition', act: () => Promise<void>): Promise<void> {
  const claim = await deps.approvals.claim(id, effect, deps.clock.now(), deps.leaseMs ?? 60_000);
  if (claim === 'already-posted') return;
  if (claim === 'held-by-another') throw new EffectInProgressError(`Another worker is doing the ${effect} of approval ${id}`);
  await act();
  await deps.approvals.markDone(id, effect, deps.clock.now());
}

/** Plain text for Jira (no Slack markup): the decision, who, when, the reason, and where it came from. */
export function jiraComment(approval: Approval): string {
  const verb = approval.status === 'approved' ? 'Approved' : 'Rejected';
  const when = approval.decidedAt ? formatInstant(approval.decidedAt) : 'an unknown time';
  const lines = [`${verb} in Slack by user ${approval.decidedBy ?? 'unknown'} at ${when}.`];
  if (approval.reason) lines.push(`Reason: ${approval.reason}`);
  lines.push('', `Recorded by exec-eng-lead (${approval.kind}, approval ${approval.id}).`);
  return lines.join('\n');
}

/** The approval worker's entry point: approval events update messages, anything else may trigger. */
export function handleApprovalWorkerEvent(event: CanonicalEvent, deps: ApprovalWorkerDeps): Promise<void> {
  return event.type.startsWith('approval.') ? handleApprovalChange(event, deps) : handleApprovalTrigger(event, deps);
}
