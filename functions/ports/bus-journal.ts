import type { CanonicalEvent } from '../core/canonical-event';

/** An accepted event and the routes (ids from the routing table) that have not finished it yet. */
export interface UnfinishedEvent {
  event: CanonicalEvent;
  routeIds: string[];
  /** The last error of a delivery that ran out of retries, if one did. */
  deadLetterError?: string;
}

/**
 * The local bus's memory of what it accepted (EventBridge keeps this itself in AWS): written
 * before `publish` resolves, so an event answered 2xx survives a crash, and read at start to
 * deliver again what was accepted but not finished.
 */
export interface BusJournal {
  /** Records that each event must reach each of its routes; resolves once that is durable. */
  accepted(deliveries: readonly { event: CanonicalEvent; routeIds: readonly string[] }[]): Promise<void>;
  /** The route has handled the event; once every route has, the record goes. */
  finished(event: CanonicalEvent, routeId: string): Promise<void>;
  /** A delivery ran out of retries; it stays unfinished (the next start tries it again). */
  deadLettered(event: CanonicalEvent, routeId: string, error: string): Promise<void>;
  /** Everything accepted and not finished, in order of occurrence. */
  unfinished(): Promise<UnfinishedEvent[]>;
}
