import type { CanonicalEvent } from '../core/canonical-event';

/** Publishes canonical events for the workers. Resolves only when every event is accepted. */
export interface EventBus {
  publish(events: readonly CanonicalEvent[]): Promise<void>;
}
