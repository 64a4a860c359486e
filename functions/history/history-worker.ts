import type { CanonicalEvent } from '../core/canonical-event';
import { isHiringEvent } from '../core/retention';
import { handleChangeEvent, isChangeEvent } from './change-history';
import { handleIssueEvent } from './issue-history';
import { handleApplicationEvent, type HiringWorkerDeps } from './application-history';
import type { ChangeStore } from '../ports/change-store';
import type { IssueStore } from '../ports/store';

export type HistoryWorkerDeps = HiringWorkerDeps & {
  store: HiringWorkerDeps['store'] & IssueStore & ChangeStore;
  /** DIGEST_DEPLOYED_STATUSES, read as the digest reads it (see time-indexed.ts). */
  deployedStatuses: readonly string[];
};

/** Keeps the per-subject histories the digest reads: applications (hiring), Jira issues and GitHub changes (delivery). */
export async function handleHistoryEvent(event: CanonicalEvent, deps: HistoryWorkerDeps): Promise<void> {
  if (isHiringEvent(event)) await handleApplicationEvent(event, deps);
  else if (isChangeEvent(event)) await handleChangeEvent(event, deps);
  else await handleIssueEvent(event, deps);
}
