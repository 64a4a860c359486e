import { createDocumentClient } from '../adapters/dynamo-client';
import { DynamoWriteClaims } from '../adapters/dynamo-write-claims';
import { DynamoApprovalStore } from '../adapters/dynamo-approvals';
import { DynamoStore } from '../adapters/dynamo-store';
import { SecretsManagerSecrets } from '../adapters/secrets-manager-secrets';
import { slackChatFromSecrets } from '../adapters/lazy-slack-chat';
import { required } from '../core/env';
import { LambdaEnv, ServiceSecretNames } from '../core/lambda-env';
import { instrumented } from '../core/lambda-handler';
import { logger, logTo } from '../core/logger';
import { once } from '../core/once';
import { systemClock } from '../ports/clock';
import { createWriterFromEnv } from '../writer/create-writer';
import { createOutbox } from '../outbox/create-outbox';
import { loadDigestConfig } from './digest-config';
import { type DigestDeps, runDigest } from './digest-runner';
import { digestPeriod } from './period';

const tableName = required(process.env, LambdaEnv.tableName);
const db = createDocumentClient();
const store = new DynamoStore(db, tableName);
const config = loadDigestConfig(process.env);
const secrets = new SecretsManagerSecrets(process.env);

const dependencies = once(
  async (): Promise<DigestDeps> => ({
    store,
    approvals: new DynamoApprovalStore(db, tableName),
    ledger: store,
    claims: new DynamoWriteClaims(db, tableName),
    outbox: createOutbox(db, tableName, slackChatFromSecrets(secrets), logTo('warn')).outbox,
    clock: systemClock,
    config,
    writer: createWriterFromEnv(process.env, await secrets.get(ServiceSecretNames.anthropicApiKey), store, systemClock, logTo('warn')),
  }),
);

/** EventBridge Scheduler target: writes the digest of the period that just ended, once. */
export const handler = instrumented(digestCorrelationId, async (): Promise<void> => {
  const outcome = await runDigest(await dependencies());
  logger.info('digest run', { ...outcome });
});

/** The period the run is for, named by its scheduled end in the digest's time zone. */
function digestCorrelationId(): string {
  return `digest:${digestPeriod({ now: systemClock.now(), cron: config.cron, timeZone: config.timeZone }).key}`;
}
