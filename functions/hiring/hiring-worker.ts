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
  return deps.store.recordApplicationEvent(event, daysAfter(deps.clock.now(), deps.retentionDays));
}
