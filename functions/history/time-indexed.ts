import type { CanonicalEvent } from '../core/canonical-event';
import { sameName } from '../core/text';

/**
 * The Jira statuses that mean "deployed" (the digest's deployment metrics). The history worker reads
 * the same variable as the digest: a transition into one of them is one the digest reads by time.
 */
export const DEPLOYED_STATUSES_ENV = 'DIGEST_DEPLOYED_STATUSES';

/** The statuses of `DEPLOYED_STATUSES_ENV`, comma-separated. */
export function deployedStatusesFrom(env: Readonly<Record<string, string | undefined>>): string[] {
  return (env[DEPLOYED_STATUSES_ENV] ?? '')
    .split(',')
    .map((status) => status.trim())
    .filter(Boolean);
}

/**
 * Whether a recorded Jira transition goes on the `byTime` index. The time-window readers (digest,
 * weekly update) want only completions (`done`) and transitions into a configured "deployed"
 * status; every other transition is read only through its issue's partition (cycle time), so
 * indexing it would be a write nobody reads. A status added to the list later counts from then on.
 */
export function issueEventReadByTime(recorded: CanonicalEvent, deployedStatuses: readonly string[]): boolean {
  if (recorded.facts.done === true) return true;
  const to = typeof recorded.facts.toStatus === 'string' ? recorded.facts.toStatus : '';
  return to !== '' && deployedStatuses.some((status) => sameName(status, to));
}
