import { instrumented } from '../core/lambda-handler';
import { logger } from '../core/logger';
import { MetricNames } from '../core/metric-names';
import { metrics } from '../core/metrics';
import { sweepOutbox } from './sweeper';
import { lambdaOutbox } from '../wiring/lambda-infrastructure';

// Slack (and its token) are loaded only when something is due.
const outbox = lambdaOutbox();

/** EventBridge Scheduler target, every minute: one sweep of the outbox, and its backlog as metrics. */
export const handler = instrumented(
  () => 'outbox-sweep',
  async () => {
    const result = await sweepOutbox(outbox, { budgetMs: 45_000 });
    metrics.record(MetricNames.outboxPendingDocuments, result.pending, 'Count');
    metrics.record(MetricNames.outboxOldestPendingAgeSeconds, result.oldestPendingAgeSeconds, 'Seconds');
    metrics.record(MetricNames.outboxFailedDocuments, result.failed, 'Count');
    logger.info('outbox sweep', { ...result });
    return result;
  },
);
