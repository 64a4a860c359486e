import type { ApprovalStore } from '../ports/approval-store';
import type { EventBus } from '../ports/bus';
import type { Clock } from '../ports/clock';
import { approvalEvent } from './approval';

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
