import type { CanonicalEvent } from '../core/canonical-event';
import { daysAfter } from '../core/retention';
import type { Clock } from '../ports/clock';
import type { IssueStore } from '../ports/store';
import { issueEventReadByTime } from './time-indexed';

/** Issue histories feed a year of delivery trend. */
export const ISSUE_HISTORY_DAYS = 400;

export interface IssueHistoryDeps {
  store: IssueStore;
  clock: Clock;
  /** DIGEST_DEPLOYED_STATUSES: transitions into these go on the time index with the completions. */
  deployedStatuses: readonly string[];
}

/** Records a Jira status transition on its issue's history, with cycle time once it is done. */
export async function handleIssueEvent(event: CanonicalEvent, deps: IssueHistoryDeps): Promise<CanonicalEvent | undefined> {
  if (event.type !== 'issue.transitioned') return undefined;
  return deps.store.recordIssueEvent(event, daysAfter(deps.clock.now(), ISSUE_HISTORY_DAYS), withCycleTime, (recorded) =>
    issueEventReadByTime(recorded, deps.deployedStatuses),
  );
}

/**
 * Jira's status categories ("To Do", "In Progress", "Done") are the same on every board,
 * whatever the workflow calls its statuses, so they define the clock: cycle time runs from the
 * first transition into an "In Progress" status to the transition into "Done".
 */
export function withCycleTime(event: CanonicalEvent, earlier: readonly CanonicalEvent[]): CanonicalEvent {
  // Done once, when it enters the category: Done → Closed is not a second delivery.
  const wasDone = earlier.at(-1)?.facts.statusCategory === 'Done';
  const done = event.facts.statusCategory === 'Done' && !wasDone;
  const started = [...earlier, event].find((e) => e.facts.statusCategory === 'In Progress');
  const facts: CanonicalEvent['facts'] = { ...event.facts, done };
  if (done && started) {
    facts.firstInProgressAt = new Date(started.occurredAt).toISOString();
    facts.cycleTimeMs = Date.parse(event.occurredAt) - Date.parse(started.occurredAt);
  }
  return { ...event, facts };
}
