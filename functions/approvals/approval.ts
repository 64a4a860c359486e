import { createHash } from 'node:crypto';
import { sameName } from '../core/text';
import type { CanonicalEvent } from '../core/canonical-event';
import { candidateKeyOf, daysAfter, isHiringEvent } from '../core/retention';
import type { WrittenDocument } from '../ports/writer';
import type { ApprovalConfig, ApprovalTrigger } from './approval-config';

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired' | 'cancelled';
export type FinalStatus = Exclude<ApprovalStatus, 'pending'>;

/** Who changed an approval: a Slack user id, or `system` (expiry, cancellation). */
export type Actor = string;

export interface Approval {
  id: string;
  /** The trigger's label: "VP approval", "budget request", "offer", … */
  kind: string;
  triggerId: string;
  subject: { source: string; id: string; key?: string; title: string; url?: string };
  requester: string | null;
  approvers: string[];
  status: ApprovalStatus;
  decidedBy?: Actor;
  decidedAt?: string;
  reason?: string;
  /** Starts at 1 and grows by one with every state change. */
  version: number;
  createdAt: string;
  deadline: string;
  /** The event that opened it. */
  sourceEventId: string;
  /** Set for offers: lets a GDPR erasure find the approval. */
  candidateKey?: string;
  /** Set for offers: epoch seconds after which DynamoDB deletes the approval and its trail (hiring retention). */
  expiresAt?: number;
  /** The posted request, once posted; kept so the message can be re-rendered with the outcome. */
  message?: { channel: string; ts: string; document: WrittenDocument };
}

/** One line of the append-only audit trail: every state change and every refused attempt. */
export interface AuditEntry {
  at: string;
  actor: Actor;
  action: 'opened' | 'approve' | 'reject' | 'expire' | 'cancel';
  outcome: 'applied' | 'refused';
  /** For a refusal: why (not an approver, already decided, …); for a rejection: the reason given. */
  detail?: string;
  fromStatus: ApprovalStatus;
  toStatus: ApprovalStatus;
  version: number;
}

/** What an event means for one configured trigger. */
export type TriggerMatch = { action: 'open' | 'cancel'; trigger: ApprovalTrigger };

/**
 * Every trigger the event concerns. A Jira transition into a trigger's status opens an
 * approval for it; a transition out of that status cancels the pending one that trigger opened.
 * A hiring stage change into a matching stage (from one that did not match) opens one. Filters
 * on project and issue type narrow a Jira trigger. One event may open one trigger's approval and
 * cancel another's (Budget Review → Awaiting VP Approval).
 */
export function matchTriggers(event: CanonicalEvent, triggers: readonly ApprovalTrigger[]): TriggerMatch[] {
  const f = event.facts;
  const matches: TriggerMatch[] = [];
  for (const trigger of triggers) {
    if (trigger.source === 'jira') {
      if (event.source !== 'jira' || event.type !== 'issue.transitioned') continue;
      if (trigger.projects && !trigger.projects.some((p) => typeof f.projectKey === 'string' && sameName(p, f.projectKey))) continue;
      if (trigger.issueTypes && !trigger.issueTypes.some((t) => typeof f.issueType === 'string' && sameName(t, f.issueType))) continue;
      const into = typeof f.toStatus === 'string' && sameName(f.toStatus, trigger.status);
      const outOf = typeof f.fromStatus === 'string' && sameName(f.fromStatus, trigger.status);
      if (into && !outOf) matches.push({ action: 'open', trigger });
      if (outOf && !into) matches.push({ action: 'cancel', trigger });
    } else if (isHiringEvent(event) && event.type === 'candidate.stage_changed') {
      const matchesStage = (stage: unknown) => typeof stage === 'string' && stage.toLowerCase().includes(trigger.stageContains.toLowerCase());
      // "Offer" → "Offer Accepted" is still the same offer: no second approval.
      if (matchesStage(f.toStage) && !matchesStage(f.fromStage)) matches.push({ action: 'open', trigger });
    }
  }
  return matches;
}

/** Same event, same approval: a redelivered webhook cannot open a second one. */
export function approvalIdFor(event: CanonicalEvent): string {
  return `apr_${createHash('sha256').update(`${event.source}\u0000${event.subject.id}\u0000${event.id}`).digest('hex').slice(0, 24)}`;
}

export function newApproval(event: CanonicalEvent, trigger: ApprovalTrigger, config: ApprovalConfig, now: Date): Approval {
  const hours = trigger.deadlineHours ?? config.defaultDeadlineHours;
  const requester = event.actors.find((actor) => actor.role === 'reporter' || actor.role === 'recruiter')?.name ?? null;
  const candidateKey = candidateKeyOf(event);
  return {
    id: approvalIdFor(event),
    kind: trigger.label,
    triggerId: trigger.id,
    subject: {
      source: event.source,
      id: event.subject.id,
      ...(event.subject.key ? { key: event.subject.key } : {}),
      title: event.subject.title,
      ...(event.subject.url ? { url: event.subject.url } : {}),
    },
    requester,
    approvers: trigger.approvers ?? config.approvers,
    status: 'pending',
    version: 1,
    createdAt: now.toISOString(),
    deadline: new Date(now.getTime() + hours * 3_600_000).toISOString(),
    sourceEventId: event.id,
    // Offers name a candidate: they follow the hiring retention like every record about one.
    ...(candidateKey ? { candidateKey, expiresAt: Math.floor(daysAfter(now, config.hiringRetentionDays).getTime() / 1000) } : {}),
  };
}

/** Why `actor` may not take `action` on this approval, or undefined when they may. */
export function refusal(approval: Approval, actor: Actor, now: Date): string | undefined {
  if (!approval.approvers.includes(actor)) return 'not_an_approver';
  if (approval.status !== 'pending') return `already_${approval.status}`;
  // Between the deadline and the next expiry run the approval is still pending, but too late.
  if (Date.parse(approval.deadline) <= now.getTime()) return 'past_deadline';
  return undefined;
}

/** The bus event announcing a state change (`approval.decided`, `approval.expired`, `approval.cancelled`). */
export function approvalEvent(approval: Approval): CanonicalEvent {
  const type = approval.status === 'expired' ? 'approval.expired' : approval.status === 'cancelled' ? 'approval.cancelled' : 'approval.decided';
  const at = approval.decidedAt ?? approval.createdAt;
  return {
    id: `approval:${approval.id}:${approval.version}`,
    source: 'approvals',
    type,
    occurredAt: at,
    deliveryId: `${approval.id}:${approval.version}`,
    subject: {
      kind: 'approval',
      id: approval.id,
      ...(approval.subject.key ? { key: approval.subject.key } : {}),
      title: approval.subject.title.slice(0, 1000),
    },
    actors: approval.decidedBy && approval.decidedBy !== 'system' ? [{ role: 'decider', name: approval.decidedBy }] : [],
    links: [],
    facts: {
      status: approval.status,
      approvalKind: approval.kind,
      subjectSource: approval.subject.source,
      subjectId: approval.subject.id,
      decidedBy: approval.decidedBy ?? null,
      reason: approval.reason ?? null,
      version: approval.version,
    },
  };
}

/** Half of the window from opening to deadline: when undecided approvers are reminded. */
export function reminderDueAt(approval: { createdAt: string; deadline: string }): number {
  const opened = Date.parse(approval.createdAt);
  return opened + (Date.parse(approval.deadline) - opened) / 2;
}

/** Asks the approval worker to remind the approvers in the request's thread (one per approval). */
export function reminderEvent(pending: { id: string; subject: string }, at: Date): CanonicalEvent {
  return {
    id: `approval:${pending.id}:reminder`,
    source: 'approvals',
    type: 'approval.reminder',
    occurredAt: at.toISOString(),
    deliveryId: `${pending.id}:reminder`,
    subject: { kind: 'approval', id: pending.id, title: pending.subject.slice(0, 1000) },
    actors: [],
    links: [],
    facts: {},
  };
}

/** The refused click, for the worker that tells the clicker (ephemerally) why nothing happened. */
export function refusalEvent(approval: Approval, actor: Actor, why: string, at: Date): CanonicalEvent {
  return {
    id: `approval:${approval.id}:refused:${actor}:${at.getTime()}`,
    source: 'approvals',
    type: 'approval.refused',
    occurredAt: at.toISOString(),
    deliveryId: `${approval.id}:refused:${actor}:${at.getTime()}`,
    subject: { kind: 'approval', id: approval.id, title: approval.subject.title.slice(0, 1000) },
    actors: [{ role: 'clicker', name: actor }],
    links: [],
    facts: { why, status: approval.status, decidedBy: approval.decidedBy ?? null, decidedAt: approval.decidedAt ?? null },
  };
}
