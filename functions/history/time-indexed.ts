import type { CanonicalEvent } from '../core/canonical-event';
import { commaList } from '../core/env';
import { sameName } from '../core/text';

/**
 * The Jira statuses that mean "deployed" (the digest's deployment metrics). The history worker reads
 * the same variable as the digest: a transition into one of them is one the digest reads by time.
 */
export const DEPLOYED_STATUSES_ENV = 'DIGEST_DEPLOYED_STATUSES';

/** The statuses of `DEPLOYED_STATUSES_ENV`, comma-separated. */
export function deployedStatusesFrom(env: Readonly<Record<string, string | undefined>>): string[] {
  return commaList(env[DEPLOYED_STATUSES_ENV]);
}

/** Whether a Jira transition moved its issue into one of `statuses` (names compared as Jira shows them). */
export function enteredAnyStatus(event: CanonicalEvent, statuses: readonly string[]): boolean {
  const to = typeof event.facts.toStatus === 'string' ? event.facts.toStatus : '';
  return to !== '' && statuses.some((status) => sameName(status, to));
}

/**
 * Whether a recorded Jira transition goes on the `byTime` index. The time-window readers (digest,
 * weekly update) want only completions (`done`) and transitions into a configured "deployed"
 * status; every other transition is read only through its issue's partition (cycle time), so
 * indexing it would be a write nobody reads. A status added to the list later counts from then on.
 */
export function issueEventReadByTime(recorded: CanonicalEvent, deployedStatuses: readonly string[]): boolean {
  return recorded.facts.done === true || enteredAnyStatus(recorded, deployedStatuses);
}
