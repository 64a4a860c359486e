import type { EventBridgeEvent } from 'aws-lambda';
import { canonicalEventSchema } from '../core/canonical-event';
import { logger } from '../core/logger';
import { canonicalEventId, instrumented } from '../core/lambda-handler';
import { hiringRetentionDays } from '../core/retention';
import { systemClock } from '../ports/clock';
import { handleHistoryEvent, type HistoryWorkerDeps } from './history-worker';
import { lambdaStore } from '../wiring/lambda-clients';
import { deployedStatusesFrom } from './time-indexed';

const deps: HistoryWorkerDeps = {
  store: lambdaStore(),
  clock: systemClock,
  retentionDays: hiringRetentionDays(process.env),
  deployedStatuses: deployedStatusesFrom(process.env),
};

/** EventBridge target: one applicant-tracking event or Jira transition per invocation; errors rethrow so EventBridge retries. */
export const handler = instrumented(canonicalEventId, async (event: EventBridgeEvent<string, unknown>): Promise<void> => {
  const parsed = canonicalEventSchema.parse(event.detail);
  await handleHistoryEvent(parsed, deps);
  // Ids only: names of candidates stay out of the logs.
  logger.info('history event recorded', { type: parsed.type, subject: parsed.subject.id });
});
