import type { CanonicalEvent } from '../core/canonical-event';
import { daysAfter } from '../core/retention';
import type { Clock } from '../ports/clock';
import type { HiringStore } from '../ports/store';

export interface HiringWorkerDeps {
  store: HiringStore;
  clock: Clock;
  /** Days an applicant-tracking record is kept (HIRING_RETENTION_DAYS). */
  retentionDays: number;
}

/**
 * Records one applicant-tracking event on its application's history: the record the digest
 * counts hiring movement from, and the place a missing previous stage is derived from.
 * Returns the event as recorded (with `fromStage` filled in when it could be derived).
 */
export async function handleApplicationEvent(event: CanonicalEvent, deps: HiringWorkerDeps): Promise<CanonicalEvent> {
  return deps.store.recordApplicationEvent(event, daysAfter(deps.clock.now(), deps.retentionDays), withStageHistory);
}

/**
 * Facts only the history knows. When the source sent no previous stage (Greenhouse never
 * does), the last stage recorded before this event is the previous stage. The time spent in
 * the previous stage is this event's time minus the time the candidate entered it, which is
 * what the digest's time-in-stage and bottleneck use.
 */
export function withStageHistory(event: CanonicalEvent, earlier: readonly CanonicalEvent[]): CanonicalEvent {
  if (event.type !== 'candidate.stage_changed') return event;
  const entered = earlier.filter((e) => typeof e.facts.toStage === 'string').at(-1);
  if (!entered) return event;
  const facts = { ...event.facts };
  if (facts.fromStage == null) {
    facts.fromStage = entered.facts.toStage ?? null;
    facts.fromStageDerived = true;
  }
  if (facts.fromStage === entered.facts.toStage) {
    facts.timeInPreviousStageMs = Date.parse(event.occurredAt) - Date.parse(entered.occurredAt);
  }
  return { ...event, facts };
}
