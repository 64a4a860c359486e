import type { CanonicalEvent } from '../core/canonical-event';
import { matchesPattern } from '../core/event-pattern';
import { BUS_SOURCE, type Route, type WorkerName } from '../core/routing';
import type { EventBus } from '../ports/bus';
import type { BusJournal, UnfinishedEvent } from '../ports/bus-journal';

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
  /**
   * Makes accepted events durable: `publish` resolves only once the journal has them, each
   * finished route is recorded, and `replay` delivers what a stopped process left unfinished.
   */
  journal?: BusJournal;
  /** A journal write after the work itself failed (the event is simply delivered again at the next start). */
  onJournalError?: (message: string, detail: Record<string, unknown>) => void;
}

/** What `replay` did. */
export interface ReplayReport {
  events: number;
  deliveries: number;
  /** Events with a delivery that had run out of retries before the restart. */
  deadLetteredBefore: number;
  /** Deliveries that failed again (still in the journal for the next start). */
  failed: number;
  /** Route ids the routing table no longer has (their records are dropped). */
  unknownRoutes: number;
  ms: number;
}

/**
 * The in-process stand-in for EventBridge: routes with the same table and pattern
 * semantics, delivers asynchronously after `publish` resolves (as PutEvents does), retries
 * failures, and keeps what still fails as dead letters. With a journal, what it accepted
 * survives the process, as EventBridge's own storage does.
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
    const routed = events.map((event) => ({ event, routes: this.routesOf(event) }));
    // Durable before the caller hears "accepted" (ingest answers 2xx only after this resolves).
    await this.options.journal?.accepted(routed.map(({ event, routes }) => ({ event, routeIds: routes.map((route) => route.id) })));
    for (const { event, routes } of routed) {
      for (const route of routes) this.track(this.deliver(route, event));
    }
  }

  /**
   * Delivers again, in order of occurrence, what an earlier process accepted and did not
   * finish: one event at a time (its routes side by side), each with the usual retries.
   */
  async replay(unfinished: readonly UnfinishedEvent[]): Promise<ReplayReport> {
    const started = performance.now();
    const report: ReplayReport = { events: unfinished.length, deliveries: 0, deadLetteredBefore: 0, failed: 0, unknownRoutes: 0, ms: 0 };
    const run = (async () => {
      for (const { event, routeIds, deadLetterError } of unfinished) {
        const outcomes = routeIds.map((routeId) => {
          const route = this.routes.find((candidate) => candidate.id === routeId);
          if (!route) {
            report.unknownRoutes += 1;
            return this.finish(event, routeId).then(() => true);
          }
          report.deliveries += 1;
          return this.deliver(route, event);
        });
        if (deadLetterError) report.deadLetteredBefore += 1;
        for (const delivered of await Promise.all(outcomes)) if (!delivered) report.failed += 1;
      }
    })();
    this.track(run);
    await run;
    report.ms = Math.round(performance.now() - started);
    return report;
  }

  /** Resolves once every delivery started so far (and any it triggered) has finished. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private routesOf(event: CanonicalEvent): Route[] {
    // Route on the same envelope EventBridge would see.
    const envelope = { source: BUS_SOURCE, 'detail-type': event.type, detail: event };
    return this.routes.filter((route) => matchesPattern(envelope, route.pattern));
  }

  private track(work: Promise<unknown>): void {
    const tracked = work.then(() => undefined).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  /** Runs the route's worker with retries; true when it succeeded. */
  private async deliver(route: Route, event: CanonicalEvent): Promise<boolean> {
    await new Promise((resolve) => setImmediate(resolve));
    const worker = this.workers[route.worker];
    for (let attempt = 0; ; attempt++) {
      try {
        await worker(event);
      } catch (error) {
        const delay = this.retryDelaysMs[attempt];
        if (delay === undefined) {
          const letter = { route: route.id, event, error: error instanceof Error ? error.message : String(error) };
          this.deadLetters.push(letter);
          this.options.onDeadLetter?.(letter);
          await this.options.journal
            ?.deadLettered(event, route.id, letter.error)
            .catch((failure: unknown) => this.journalError('dead letter not recorded', route.id, event, failure));
          return false;
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
        continue;
      }
      await this.finish(event, route.id);
      return true;
    }
  }

  private async finish(event: CanonicalEvent, routeId: string): Promise<void> {
    // Not recorded means delivered again at the next start, which the idempotent workers absorb.
    await this.options.journal
      ?.finished(event, routeId)
      .catch((error: unknown) => this.journalError('finished delivery not recorded; it is replayed at the next start', routeId, event, error));
  }

  private journalError(message: string, routeId: string, event: CanonicalEvent, error: unknown): void {
    this.options.onJournalError?.(message, { route: routeId, eventId: event.id, error: error instanceof Error ? error.message : String(error) });
  }
}
