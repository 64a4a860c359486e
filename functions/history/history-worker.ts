import type { CanonicalEvent } from '../core/canonical-event';
import { isHiringEvent } from '../core/retention';
import { handleIssueEvent } from '../delivery/issue-history';
import { handleApplicationEvent, type HiringWorkerDeps } from '../hiring/hiring-worker';
import type { IssueStore } from '../ports/store';

export type HistoryWorkerDeps = HiringWorkerDeps & { store: HiringWorkerDeps['store'] & IssueStore };

/** Keeps the per-subject histories the digest reads: applications (hiring) and Jira issues (delivery). */
export async function handleHistoryEvent(event: CanonicalEvent, deps: HistoryWorkerDeps): Promise<void> {
  if (isHiringEvent(event)) await handleApplicationEvent(event, deps);
  else await handleIssueEvent(event, deps);
}
