import type { EventBridgeEvent } from 'aws-lambda';
import { createDocumentClient } from '../adapters/dynamo-client';
import { DynamoStore } from '../adapters/dynamo-store';
import { SecretsManagerSecrets } from '../adapters/secrets-manager-secrets';
import { SlackChat } from '../adapters/slack-chat';
import { canonicalEventSchema } from '../core/canonical-event';
import { ConfigError, required } from '../core/env';
import { LambdaEnv, ServiceSecretNames } from '../core/lambda-env';
import { logger, logTo } from '../core/logger';
import { systemClock } from '../ports/clock';
import type { Writer } from '../ports/writer';
import { createWriterFromEnv } from '../writer/create-writer';
import { handleIncidentEvent, type IncidentWorkerDeps } from './incident-worker';

const secrets = new SecretsManagerSecrets(process.env);
const store = new DynamoStore(createDocumentClient(), required(process.env, LambdaEnv.tableName));
const channel = required(process.env, LambdaEnv.slackChannelIncidents);
let ready: Promise<IncidentWorkerDeps> | undefined;

/** Secrets are fetched on first use (then cached by Powertools), not at import time. */
async function dependencies(): Promise<IncidentWorkerDeps> {
  const token = await secrets.get(ServiceSecretNames.slackBotToken);
  if (!token) throw new ConfigError('The Slack bot token secret is empty');
  const apiKey = await secrets.get(ServiceSecretNames.anthropicApiKey);
  const writer: Writer = createWriterFromEnv(process.env, apiKey, store, systemClock, logTo('warn'));
  return { store, chat: new SlackChat({ token }), writer, clock: systemClock, channel };
}

/** EventBridge target: one canonical incident event per invocation. Errors rethrow so EventBridge retries, then dead-letters. */
export async function handler(event: EventBridgeEvent<string, unknown>): Promise<void> {
  const incidentEvent = canonicalEventSchema.parse(event.detail);
  ready ??= dependencies().catch((error) => {
    ready = undefined;
    throw error;
  });
  await handleIncidentEvent(incidentEvent, await ready);
  logger.info('incident event handled', { type: incidentEvent.type, incident: incidentEvent.subject.id });
}
