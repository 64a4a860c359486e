import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { createDocumentClient, INGEST_DYNAMO_LIMITS } from '../adapters/dynamo-client';
import { DynamoStore } from '../adapters/dynamo-store';
import { EventBridgeBus } from '../adapters/eventbridge-bus';
import { SecretsManagerSecrets } from '../adapters/secrets-manager-secrets';
import { maxBodyBytes, required } from '../core/env';
import { LambdaEnv } from '../core/lambda-env';
import { httpApiHandler } from '../core/api-gateway';
import { logTo } from '../core/logger';
import { hiringRetentionDays } from '../core/retention';
import { systemClock } from '../ports/clock';
import { type IngestDeps, ingestWebhook } from './ingest';
import { deliveryIdOf, recordIngestOutcome } from './ingest-observability';

/** PutEvents bounded like the DynamoDB calls, so a stuck publish still answers 503 well inside the senders' timeouts. */
const INGEST_EVENTBRIDGE_OPTIONS = { maxAttempts: 2, requestHandler: { connectionTimeout: 500, requestTimeout: 1500, throwOnRequestTimeout: true } };

// Built once per container: clients, config and the secrets cache outlive invocations.
const deps: IngestDeps = {
  store: new DynamoStore(createDocumentClient({ limits: INGEST_DYNAMO_LIMITS }), required(process.env, LambdaEnv.tableName)),
  bus: new EventBridgeBus(new EventBridgeClient(INGEST_EVENTBRIDGE_OPTIONS), required(process.env, LambdaEnv.eventBusName)),
  secrets: new SecretsManagerSecrets(process.env),
  clock: systemClock,
  maxBodyBytes: maxBodyBytes(process.env),
  hiringRetentionDays: hiringRetentionDays(process.env),
  log: logTo('error'),
};

/** API Gateway HTTP API adapter for `POST /webhooks/{source}`. */
export const handler = httpApiHandler(
  'webhook',
  async (request, event) => {
    const source = event.pathParameters?.source ?? '';
    const response = await ingestWebhook(source, request, deps);
    recordIngestOutcome(source, response);
    return response;
  },
  (request, event) => deliveryIdOf(event.pathParameters?.source ?? '', request),
);
