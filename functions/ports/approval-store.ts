import type { Actor, Approval, AuditEntry, FinalStatus } from '../approvals/approval';
import type { ClaimResult } from './store';

export interface Transition {
  to: FinalStatus;
  action: AuditEntry['action'];
  actor: Actor;
  at: Date;
  reason?: string;
}

/** `applied` when this call made the change; otherwise the approval as another call left it. */
export type TransitionResult = { applied: true; approval: Approval } | { applied: false; approval: Approval | undefined };

export type ApprovalEffect = 'message' | 'comment' | 'transition' | 'escalation' | 'reminder';

export interface PendingApproval {
  id: string;
  /** The trigger that opened it: only that trigger's "left the status" cancels it. */
  triggerId: string;
  kind: string;
  /** Issue key or application title, for the digest. */
  subject: string;
  subjectId: string;
  deadline: string;
  createdAt: string;
}

/** Approval records, their audit trails and the index of pending ones. */
export interface ApprovalStore {
  /** Creates the approval with its `opened` audit entry unless an approval with this id exists. */
  open(approval: Approval, at: Date): Promise<'created' | 'exists'>;
  get(id: string): Promise<Approval | undefined>;
  /**
   * Moves a pending approval to a final status exactly once, atomically with its audit entry.
   * `current`, when the caller has just read it, saves reading it again.
   */
  transition(id: string, change: Transition, current?: Approval): Promise<TransitionResult>;
  /** Appends a refused attempt to the audit trail; the approval itself does not change. */
  recordRefusal(approval: Approval, entry: Omit<AuditEntry, 'outcome' | 'fromStatus' | 'toStatus' | 'version'>): Promise<void>;
  /** The audit trail, oldest first. */
  audit(id: string): Promise<AuditEntry[]>;
  /** Pending approvals, earliest deadline first; with `deadlineBefore`, only those due before it. */
  pending(deadlineBefore?: Date): Promise<PendingApproval[]>;
  /** Leases the right to do a side effect once: post the request message, or write back to Jira. */
  claim(id: string, effect: ApprovalEffect, now: Date, leaseMs: number): Promise<ClaimResult>;
  /** Records the posted message and ends the `message` lease. */
  saveMessage(id: string, message: NonNullable<Approval['message']>): Promise<void>;
  /** Records that a Jira write-back effect happened and ends its lease. */
  markDone(id: string, effect: Exclude<ApprovalEffect, 'message'>, at: Date): Promise<void>;
}
