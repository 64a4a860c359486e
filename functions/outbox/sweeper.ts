import type { Log, OutboxDelivery, OutboxTiming } from './delivery';
import type { DueEntry, OutboxStore } from './outbox-store';
import { MetricNames } from '../core/metric-names';
import { metrics } from '../core/metrics';
import { urgencyRank } from './urgency';

export interface SweepDeps {
  store: OutboxStore;
  delivery: OutboxDelivery;
  timing: OutboxTiming;
  log: Log;
}

export interface SweepResult {
  /** Records that were due and looked at. */
  due: number;
  delivered: number;
  /** Marked failed in this sweep. */
  failed: number;
  /** Still pending after it (the sweeper's backlog). */
  pending: number;
  /** Age of the oldest pending document after the sweep, in seconds (0 when none). */
  oldestPendingAgeSeconds: number;
}

/** How many due records one pass reads, per urgency. */
const BATCH = 200;
/** Passes per sweep at most; a pass that delivered nothing (all waiting their turn) pauses this long first. */
const MAX_PASSES = 100;
const IDLE_PASS_MS = 500;
/**
 * How long one pass goes on before the due index is read again, so a document that became
 * due meanwhile (an urgent one) waits at most this long behind a channel's backlog.
 */
const PASS_MS = 2_000;

/**
 * Delivers what is due, pass after pass, until nothing is due or `budgetMs` (a Lambda's
 * timeout) is spent; what is left stays due for the next sweep. In a pass, channels are worked
 * in parallel, each most urgent first (see urgency.ts) and, within an urgency, in the order
 * its documents were written, so a brief goes before its replies and a rate-limited channel
 * waits alone. A reply that was waiting for its parent is due again shortly, so the next pass
 * posts it without waiting for the next sweep.
 */
export async function sweepOutbox(deps: SweepDeps, options: { budgetMs?: number } = {}): Promise<SweepResult> {
  const started = deps.timing.now().getTime();
  const budgetMs = options.budgetMs ?? 45_000;
  const left = () => budgetMs - (deps.timing.now().getTime() - started);
  const totals = { due: 0, delivered: 0, failed: 0 };
  for (let pass = 0; pass < MAX_PASSES && left() > 0; pass += 1) {
    await wakeIfSlackIsBack(deps);
    const due = await deps.store.due(deps.timing.now(), BATCH);
    if (due.length === 0) break;
    const outcome = await sweepPass(deps, due, left);
    totals.due += outcome.attempted;
    totals.delivered += outcome.delivered;
    totals.failed += outcome.failed;
    if (outcome.delivered === 0) await deps.timing.sleep(Math.min(IDLE_PASS_MS, Math.max(0, left())));
  }
  const backlog = await outboxBacklog(deps.store, deps.timing.now());
  // What the 15-minute alarm watches (lib/monitoring.ts); nothing is recorded outside Lambda.
  metrics.record(MetricNames.outboxPendingDocuments, backlog.pending);
  metrics.record(MetricNames.outboxOldestPendingAgeSeconds, backlog.oldestPendingAgeSeconds, 'Seconds');
  return { ...totals, ...backlog };
}

/**
 * Back at once when Slack is back. While documents wait for Slack (a failure is noted in the
 * store), the first success after that failure, a post, update or history read in this
 * process or the probe this makes at most every 2 s (`auth.test`), makes every one of them due
 * now. They are still paced, and one whose last attempt had an unknown outcome is still
 * looked for before it is posted again.
 */
export async function wakeIfSlackIsBack(deps: SweepDeps): Promise<number> {
  const failedAt = await deps.store.slackFailedAt();
  if (!failedAt) return 0;
  const { health } = deps.delivery;
  let back = health.lastSuccessAt > Date.parse(failedAt);
  if (!back && health.probeDue(deps.timing.now().getTime())) back = await deps.delivery.probe();
  if (!back) return 0;
  const woken = await deps.store.wakeSlackWaiting(deps.timing.now(), failedAt);
  health.woke();
  deps.log('Slack answers again: the documents waiting for it are due now', { woken, failedAt });
  return woken;
}

/** Most urgent first, then in the order written. */
function deliveryOrder(a: DueEntry, b: DueEntry): number {
  return urgencyRank(a.urgency) - urgencyRank(b.urgency) || a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
}

async function sweepPass(deps: SweepDeps, due: DueEntry[], left: () => number): Promise<{ attempted: number; delivered: number; failed: number }> {
  const pacer = deps.delivery.pacer;
  const now = () => deps.timing.now().getTime();
  const passEnds = now() + PASS_MS;
  const byChannel = new Map<string, DueEntry[]>();
  for (const entry of due) byChannel.set(entry.channel, [...(byChannel.get(entry.channel) ?? []), entry]);
  let attempted = 0;
  let delivered = 0;
  let failed = 0;
  await Promise.all(
    [...byChannel.entries()].map(async ([channel, entries]) => {
      entries.sort(deliveryOrder);
      // Until this pass ends, a worker's new document no more urgent than these queues behind them.
      pacer.noteBacklog(channel, { rank: urgencyRank(entries[0]?.urgency), until: passEnds + IDLE_PASS_MS });
      for (const entry of entries) {
        if (left() <= 0) return;
        const wait = pacer.waitMs(channel, now());
        // The channel's next slot comes after this pass: the next pass, with a fresh look at what is due, takes it.
        if (wait > passEnds - now() && wait <= left()) return;
        attempted += 1;
        try {
          const before = await deps.store.get(entry.id);
          if (!before) {
            // The record is gone (an erasure, or its TTL): so is its work.
            await deps.store.forgetDue(entry);
            continue;
          }
          const after = await deps.delivery.deliver(entry.id, { maxWaitMs: left(), known: before });
          if (before.state === 'pending' && after?.state === 'delivered') delivered += 1;
          if (before.state === 'pending' && after?.state === 'failed') failed += 1;
        } catch (error) {
          // One record's storage error must not stop the others; it stays due.
          deps.log('outbox sweep could not deliver a record', { id: entry.id, error: error instanceof Error ? error.message : String(error) });
        }
      }
      pacer.noteBacklog(channel, undefined);
    }),
  );
  return { attempted, delivered, failed };
}

/**
 * The outbox backlog: how many documents are pending and how old the oldest is. What an alarm
 * on Slack delivery watches (oldest pending age rising means documents are not reaching Slack).
 */
export async function outboxBacklog(store: OutboxStore, now: Date): Promise<{ pending: number; oldestPendingAgeSeconds: number }> {
  const stats = await store.pendingStats();
  const oldest = stats.oldestCreatedAt ? Math.max(0, Math.round((now.getTime() - Date.parse(stats.oldestCreatedAt)) / 1000)) : 0;
  return { pending: stats.count, oldestPendingAgeSeconds: oldest };
}

/** Runs the sweeper every `intervalMs` in this process (the local runtime), never two passes at once. */
export function startOutboxSweeper(deps: SweepDeps, intervalMs: number): { stop(): Promise<void> } {
  let running: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = sweepOutbox(deps, { budgetMs: Math.max(intervalMs * 5, 5_000) })
      .catch((error: unknown) => deps.log('outbox sweep failed', { error: error instanceof Error ? error.message : String(error) }))
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
