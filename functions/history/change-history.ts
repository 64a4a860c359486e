import type { CanonicalEvent } from '../core/canonical-event';
import { daysAfter } from '../core/retention';
import type { ChangeStore } from '../ports/change-store';
import type { Clock } from '../ports/clock';
import { ISSUE_HISTORY_DAYS } from './issue-history';

export interface ChangeHistoryDeps {
  store: ChangeStore;
  clock: Clock;
}

/** Event types that are deployments or merged changes: what DORA is computed from. */
export function isChangeEvent(event: CanonicalEvent): boolean {
  return event.type.startsWith('deployment.') || event.type === 'pull_request.merged';
}

/** Records a deployment status or a merged pull request for the digest's DORA figures (a year of trend). */
export async function handleChangeEvent(event: CanonicalEvent, deps: ChangeHistoryDeps): Promise<void> {
  if (!isChangeEvent(event)) return;
  await deps.store.recordChangeEvent(event, daysAfter(deps.clock.now(), ISSUE_HISTORY_DAYS));
}
