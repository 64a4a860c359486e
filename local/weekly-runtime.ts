import type { Hono } from 'hono';
import { logTo } from '../functions/core/logger';
import { startDigestSchedule } from '../functions/digest/period';
import type { WeeklyConfig } from '../functions/weekly/weekly-config';
import { runWeekly } from '../functions/weekly/weekly-runner';
import { weeklyWorkerDeps, type WorkerInfrastructure } from '../functions/wiring/worker-deps';

/**
 * The weekly update locally: its schedule (croner, the same cron and zone EventBridge Scheduler
 * uses in AWS), `POST /local/weekly` to write one now, and `GET /local/weekly/latest.md`.
 */
export function addLocalWeekly(app: Hono, infrastructure: WorkerInfrastructure, config: WeeklyConfig): { stop: () => void } {
  const weeklyDeps = weeklyWorkerDeps(infrastructure, config);
  const job = startDigestSchedule(weeklyDeps.config.cron, weeklyDeps.config.timeZone, () =>
    runWeekly(weeklyDeps).catch((error: unknown) =>
      logTo('error')('scheduled weekly update failed', { error: error instanceof Error ? error.message : String(error) }),
    ),
  );
  app.post('/local/weekly', async (c) => {
    try {
      return c.json(await runWeekly(weeklyDeps, { manual: true }), 201);
    } catch (error) {
      logTo('error')('weekly update failed', { error: error instanceof Error ? error.message : String(error) });
      return c.json({ error: 'weekly update failed; see the service log' }, 500);
    }
  });
  app.get('/local/weekly/latest.md', async (c) => {
    const latest = await weeklyDeps.weekly.latestWeekly();
    if (!latest) return c.json({ error: 'no weekly update written yet: POST /local/weekly' }, 404);
    return c.body(latest.markdown, 200, { 'content-type': 'text/markdown; charset=utf-8' });
  });
  return job;
}
