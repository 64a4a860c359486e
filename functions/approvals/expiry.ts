import type { ApprovalStore } from '../ports/approval-store';
import type { EventBus } from '../ports/bus';
import type { Clock } from '../ports/clock';
import { approvalEvent, reminderDueAt, reminderEvent } from './approval';

export interface ExpiryDeps {
  approvals: ApprovalStore;
  bus: EventBus;
  clock: Clock;
}

/**
 * Moves every pending approval past its deadline to `expired` and announces each with an
 * `approval.expired` event (the worker updates the message; escalations can listen too).
 * Reads only the part of the pending index that is due (a key condition on the deadline).
 * A click racing the expiry is settled by the same conditional write: one of them wins.
 */
export async function expireOverdue(deps: ExpiryDeps): Promise<string[]> {
  const now = deps.clock.now();
  const expired: string[] = [];
  for (const pending of await deps.approvals.pending(now)) {
    const result = await deps.approvals.transition(pending.id, { to: 'expired', action: 'expire', actor: 'system', at: now });
    if (!result.applied) continue;
    await deps.bus.publish([approvalEvent(result.approval)]);
    expired.push(pending.id);
  }
  return expired;
}

/**
 * Past half of its window (opened → deadline) an undecided approval gets one reminder: this
 * pass claims the approval's `reminder` effect and asks the worker (which holds the outbox and
 * Slack) to post it. The claim keeps later and concurrent passes from asking again; the
 * worker's stable outbox id keeps a repeated ask from posting twice.
 */
export async function remindUndecided(deps: ExpiryDeps, leaseMs = 60_000): Promise<string[]> {
  const now = deps.clock.now();
  const reminded: string[] = [];
  for (const pending of await deps.approvals.pending()) {
    if (reminderDueAt(pending) > now.getTime() || Date.parse(pending.deadline) <= now.getTime()) continue;
    if ((await deps.approvals.claim(pending.id, 'reminder', now, leaseMs)) !== 'claimed') continue;
    await deps.bus.publish([reminderEvent(pending, now)]);
    await deps.approvals.markDone(pending.id, 'reminder', now);
    reminded.push(pending.id);
  }
  return reminded;
}
