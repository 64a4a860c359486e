import type { EventBridgeEvent } from 'aws-lambda';
import { createDocumentClient } from '../adapters/dynamo-client';
import { DynamoStore } from '../adapters/dynamo-store';
import { incidentAttentionStores } from '../adapters/dynamo-attention';
import { loadAttentionConfig } from './attention-config';
import { SecretsManagerSecrets } from '../adapters/secrets-manager-secrets';
import { slackChatFromSecrets } from '../adapters/lazy-slack-chat';
import { canonicalEventSchema } from '../core/canonical-event';
import { required } from '../core/env';
import { LambdaEnv, ServiceSecretNames } from '../core/lambda-env';
import { logger, logTo } from '../core/logger';
import { canonicalEventId, instrumented } from '../core/lambda-handler';
import { once } from '../core/once';
import { systemClock } from '../ports/clock';
import type { Writer } from '../ports/writer';
import { createWriterFromEnv } from '../writer/create-writer';
import { createOutbox } from '../outbox/create-outbox';
import { handleIncidentEvent, type IncidentWorkerDeps } from './incident-worker';

const secrets = new SecretsManagerSecrets(process.env);
const tableName = required(process.env, LambdaEnv.tableName);
const db = createDocumentClient();
const store = new DynamoStore(db, tableName);
const channel = required(process.env, LambdaEnv.slackChannelIncidents);
// Refused at start (a cold start that fails names the variable), not on the first event.
const config = loadAttentionConfig(process.env);

/** Secrets are fetched on first use (then cached by Powertools), not at import time. */
const dependencies = once(async (): Promise<IncidentWorkerDeps> => {
  const writer: Writer = createWriterFromEnv(process.env, await secrets.get(ServiceSecretNames.anthropicApiKey), store, systemClock, logTo('warn'));
  const { outbox } = createOutbox(db, tableName, slackChatFromSecrets(secrets), logTo('warn'));
  return { store, outbox, writer, clock: systemClock, channel, config, ...incidentAttentionStores(db, tableName) };
});

/** EventBridge target: one canonical incident event per invocation. Errors rethrow so EventBridge retries, then dead-letters. */
export const handler = instrumented(canonicalEventId, async (event: EventBridgeEvent<string, unknown>): Promise<void> => {
  const incidentEvent = canonicalEventSchema.parse(event.detail);
  await handleIncidentEvent(incidentEvent, await dependencies());
  logger.info('incident event handled', { type: incidentEvent.type, incident: incidentEvent.subject.id });
});
