import { createDocumentClient } from '../adapters/dynamo-client';
import { DynamoApprovalStore } from '../adapters/dynamo-approvals';
import { DynamoStore } from '../adapters/dynamo-store';
import { DynamoWeeklyStore } from '../adapters/dynamo-weekly';
import { DynamoWriteClaims } from '../adapters/dynamo-write-claims';
import { SecretsManagerSecrets } from '../adapters/secrets-manager-secrets';
import { slackChatFromSecrets } from '../adapters/lazy-slack-chat';
import { required } from '../core/env';
import { LambdaEnv, ServiceSecretNames } from '../core/lambda-env';
import { instrumented } from '../core/lambda-handler';
import { logger, logTo } from '../core/logger';
import { once } from '../core/once';
import { digestPeriod } from '../digest/period';
import { createOutbox } from '../outbox/create-outbox';
import { systemClock } from '../ports/clock';
import { createWriterFromEnv } from '../writer/create-writer';
import { loadWeeklyConfig } from './weekly-config';
import { runWeekly, type WeeklyDeps } from './weekly-runner';

const tableName = required(process.env, LambdaEnv.tableName);
const db = createDocumentClient();
const store = new DynamoStore(db, tableName);
const config = loadWeeklyConfig(process.env);
const secrets = new SecretsManagerSecrets(process.env);

const dependencies = once(
  async (): Promise<WeeklyDeps> => ({
    store,
    weekly: new DynamoWeeklyStore(db, tableName),
    claims: new DynamoWriteClaims(db, tableName),
    approvals: new DynamoApprovalStore(db, tableName),
    outbox: createOutbox(db, tableName, slackChatFromSecrets(secrets), logTo('warn')).outbox,
    clock: systemClock,
    config,
    writer: createWriterFromEnv(process.env, await secrets.get(ServiceSecretNames.anthropicApiKey), store, systemClock, logTo('warn')),
  }),
);

/** EventBridge Scheduler target: writes the weekly update for the week that just ended, once. */
export const handler = instrumented(weeklyCorrelationId, async (): Promise<void> => {
  const outcome = await runWeekly(await dependencies());
  logger.info('weekly run', { ...outcome });
});

function weeklyCorrelationId(): string {
  return `weekly:${digestPeriod({ now: systemClock.now(), cron: config.cron, timeZone: config.timeZone }).key}`;
}
