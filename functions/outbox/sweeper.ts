import type { Log, OutboxDelivery, OutboxTiming } from './delivery';
import type { DueEntry, OutboxStore } from './outbox-store';

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

/** How many due records one sweep reads. */
const BATCH = 200;

/**
 * One pass over the due index: every due record is delivered (or rescheduled) once. Channels
 * are worked in parallel, each in the order its documents were written, so a brief goes before
 * its replies and a rate-limited channel waits alone. `budgetMs` stops starting new work (a
 * Lambda's timeout); what is left stays due for the next pass.
 */
export async function sweepOutbox(deps: SweepDeps, options: { budgetMs?: number } = {}): Promise<SweepResult> {
  const started = deps.timing.now().getTime();
  const budgetMs = options.budgetMs ?? 45_000;
  const due = await deps.store.due(deps.timing.now(), BATCH);
  const byChannel = new Map<string, DueEntry[]>();
  for (const entry of due) byChannel.set(entry.channel, [...(byChannel.get(entry.channel) ?? []), entry]);
  let delivered = 0;
  let failed = 0;
  await Promise.all(
    [...byChannel.values()].map(async (entries) => {
      entries.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
      for (const entry of entries) {
        const left = budgetMs - (deps.timing.now().getTime() - started);
        if (left <= 0) return;
        try {
          const before = await deps.store.get(entry.id);
          const after = await deps.delivery.deliver(entry.id, { maxWaitMs: left });
          if (before?.state === 'pending' && after?.state === 'delivered') delivered += 1;
          if (before?.state === 'pending' && after?.state === 'failed') failed += 1;
        } catch (error) {
          // One record's storage error must not stop the others; it stays due.
          deps.log('outbox sweep could not deliver a record', { id: entry.id, error: error instanceof Error ? error.message : String(error) });
        }
      }
    }),
  );
  const backlog = await outboxBacklog(deps.store, deps.timing.now());
  return { due: due.length, delivered, failed, ...backlog };
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
    running = sweepOutbox(deps, { budgetMs: Math.max(intervalMs * 5, 10_000) })
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
