import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { CanonicalEvent } from '../core/canonical-event';
import { BUS_SOURCE } from '../core/routing';
import type { EventBus } from '../ports/bus';
import { recordPublished } from '../core/published-metrics';

/** PutEvents takes at most 10 entries per call. */
const BATCH = 10;

/** Publishes to an EventBridge bus; any failed entry fails the whole publish so ingest answers 5xx. */
export class EventBridgeBus implements EventBus {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
  ) {}

  async publish(events: readonly CanonicalEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += BATCH) {
      const batch = events.slice(i, i + BATCH);
      const result = await this.client.send(
        new PutEventsCommand({
          Entries: batch.map((event) => ({
            EventBusName: this.busName,
            Source: BUS_SOURCE,
            DetailType: event.type,
            Time: new Date(event.occurredAt),
            Detail: JSON.stringify(event),
          })),
        }),
      );
      if ((result.FailedEntryCount ?? 0) > 0) {
        const codes = (result.Entries ?? []).flatMap((entry) => (entry.ErrorCode ? [entry.ErrorCode] : []));
        throw new Error(`EventBridge rejected ${result.FailedEntryCount} of ${batch.length} entries: ${codes.join(', ')}`);
      }
      recordPublished(batch);
    }
  }
}
