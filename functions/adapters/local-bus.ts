import type { CanonicalEvent } from '../core/canonical-event';
import { matchesPattern } from '../core/event-pattern';
import { BUS_SOURCE, type Route, type WorkerName } from '../core/routing';
import type { EventBus } from '../ports/bus';

export type Worker = (event: CanonicalEvent) => Promise<void>;

export interface DeadLetter {
  route: string;
  event: CanonicalEvent;
  error: string;
}

export interface LocalBusOptions {
  /** Delays before each retry; EventBridge retries a failed async invocation too. */
  retryDelaysMs?: number[];
  onDeadLetter?: (letter: DeadLetter) => void;
}

/**
 * The in-process stand-in for EventBridge: routes with the same table and pattern
 * semantics, delivers asynchronously after `publish` resolves (as PutEvents does), retries
 * failures, and keeps what still fails as dead letters.
 */
export class LocalBus implements EventBus {
  readonly deadLetters: DeadLetter[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly retryDelaysMs: number[];

  constructor(
    private readonly routes: readonly Route[],
    private readonly workers: Record<WorkerName, Worker>,
    private readonly options: LocalBusOptions = {},
  ) {
    this.retryDelaysMs = options.retryDelaysMs ?? [100, 500, 2000];
  }

  async publish(events: readonly CanonicalEvent[]): Promise<void> {
    for (const event of events) {
      // Route on the same envelope EventBridge would see.
      const envelope = { source: BUS_SOURCE, 'detail-type': event.type, detail: event };
      for (const route of this.routes) {
        if (!matchesPattern(envelope, route.pattern)) continue;
        const delivery = this.deliver(route, event).finally(() => this.inFlight.delete(delivery));
        this.inFlight.add(delivery);
      }
    }
  }

  /** Resolves once every delivery started so far (and any it triggered) has finished. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async deliver(route: Route, event: CanonicalEvent): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    const worker = this.workers[route.worker];
    for (let attempt = 0; ; attempt++) {
      try {
        await worker(event);
        return;
      } catch (error) {
        const delay = this.retryDelaysMs[attempt];
        if (delay === undefined) {
          const letter = { route: route.id, event, error: error instanceof Error ? error.message : String(error) };
          this.deadLetters.push(letter);
          this.options.onDeadLetter?.(letter);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}
