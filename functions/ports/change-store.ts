import type { CanonicalEvent } from '../core/canonical-event';
import type { TimeWindowRead } from './digest-store';

/**
 * Deployments and merged pull requests (GitHub), kept for DORA. They sit on the time index in
 * their own monthly buckets, so the digest reads weeks of them without reading every incident
 * and hiring record of those weeks.
 */
export interface ChangeStore {
  /** Records one change event (a repeated event id is a no-op); it expires at `expiresAt`. */
  recordChangeEvent(event: CanonicalEvent, expiresAt: Date): Promise<void>;
  /** Every change event with an instant in [from, to), by key-conditioned queries per month bucket. */
  readChangeWindow(from: Date, to: Date): Promise<TimeWindowRead>;
}
