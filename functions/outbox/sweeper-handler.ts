import { createDocumentClient } from '../adapters/dynamo-client';
import { SecretsManagerSecrets } from '../adapters/secrets-manager-secrets';
import { slackChatFromSecrets } from '../adapters/lazy-slack-chat';
import { required } from '../core/env';
import { LambdaEnv } from '../core/lambda-env';
import { instrumented } from '../core/lambda-handler';
import { logger, logTo } from '../core/logger';
import { MetricNames } from '../core/metric-names';
import { metrics } from '../core/metrics';
import { once } from '../core/once';
import { createOutbox } from './create-outbox';
import { sweepOutbox } from './sweeper';

const tableName = required(process.env, LambdaEnv.tableName);
const db = createDocumentClient();
const secrets = new SecretsManagerSecrets(process.env);

const dependencies = once(async () => createOutbox(db, tableName, slackChatFromSecrets(secrets), logTo('warn')));

/** EventBridge Scheduler target, every minute: one sweep of the outbox, and its backlog as metrics. */
export const handler = instrumented(
  () => 'outbox-sweep',
  async () => {
    const result = await sweepOutbox(await dependencies(), { budgetMs: 45_000 });
    metrics.record(MetricNames.outboxPendingDocuments, result.pending, 'Count');
    metrics.record(MetricNames.outboxOldestPendingAgeSeconds, result.oldestPendingAgeSeconds, 'Seconds');
    metrics.record(MetricNames.outboxFailedDocuments, result.failed, 'Count');
    logger.info('outbox sweep', { ...result });
    return result;
  },
);
