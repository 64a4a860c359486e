import { instrumented } from '../core/lambda-handler';
import { once } from '../core/once';
import { digestPeriod } from '../digest/period';
import { systemClock } from '../ports/clock';
import { loadWeeklyConfig } from './weekly-config';
import { runWeekly, type WeeklyDeps } from './weekly-runner';
import { logger } from '../core/logger';
import { lambdaWorkerInfrastructure } from '../wiring/lambda-infrastructure';
import { weeklyWorkerDeps } from '../wiring/worker-deps';

const config = loadWeeklyConfig(process.env);

const infrastructure = lambdaWorkerInfrastructure();
const dependencies = once(async (): Promise<WeeklyDeps> => weeklyWorkerDeps(await infrastructure(), config));

/** EventBridge Scheduler target: writes the weekly update for the week that just ended, once. */
export const handler = instrumented(weeklyCorrelationId, async (): Promise<void> => {
  const outcome = await runWeekly(await dependencies());
  logger.info('weekly run', { ...outcome });
});

function weeklyCorrelationId(): string {
  return `weekly:${digestPeriod({ now: systemClock.now(), cron: config.cron, timeZone: config.timeZone }).key}`;
}
