import { instrumented } from '../core/lambda-handler';
import { once } from '../core/once';
import { systemClock } from '../ports/clock';
import { loadDigestConfig } from './digest-config';
import { type DigestDeps, runDigest } from './digest-runner';
import { digestPeriod } from './period';
import { logger } from '../core/logger';
import { lambdaWorkerInfrastructure } from '../wiring/lambda-infrastructure';
import { digestWorkerDeps } from '../wiring/worker-deps';

const config = loadDigestConfig(process.env);

const infrastructure = lambdaWorkerInfrastructure();
const dependencies = once(async (): Promise<DigestDeps> => digestWorkerDeps(await infrastructure(), config));

/** EventBridge Scheduler target: writes the digest of the period that just ended, once. */
export const handler = instrumented(digestCorrelationId, async (): Promise<void> => {
  const outcome = await runDigest(await dependencies());
  logger.info('digest run', { ...outcome });
});

/** The period the run is for, named by its scheduled end in the digest's time zone. */
function digestCorrelationId(): string {
  return `digest:${digestPeriod({ now: systemClock.now(), cron: config.cron, timeZone: config.timeZone }).key}`;
}
