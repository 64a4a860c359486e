import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { createDocumentClient, INGEST_DYNAMO_LIMITS } from '../adapters/dynamo-client';
import { DynamoStore } from '../adapters/dynamo-store';
import { EventBridgeBus } from '../adapters/eventbridge-bus';
import { SecretsManagerSecrets } from '../adapters/secrets-manager-secrets';
import { httpApiHandler } from '../core/api-gateway';
import { required } from '../core/env';
import { LambdaEnv, ServiceSecretNames } from '../core/lambda-env';
import { logTo } from '../core/logger';
import { once } from '../core/once';
import { systemClock } from '../ports/clock';
import { handleSlackEvents, type SlackEventsDeps, slackEventIdOf } from './events-endpoint';

// The ingest's bounded clients: Slack retries after 3 s, so a stuck call must fail well before.
const store = new DynamoStore(createDocumentClient({ limits: INGEST_DYNAMO_LIMITS }), required(process.env, LambdaEnv.tableName));
const bus = new EventBridgeBus(
  new EventBridgeClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 500, requestTimeout: 1500, throwOnRequestTimeout: true } }),
  required(process.env, LambdaEnv.eventBusName),
);
const secrets = new SecretsManagerSecrets(process.env);

const dependencies = once<SlackEventsDeps>(async () => ({
  store,
  bus,
  clock: systemClock,
  signingSecret: await secrets.get(ServiceSecretNames.slackSigningSecret),
  log: logTo('warn'),
}));

/** API Gateway HTTP API adapter for `POST /slack/events` (Slack's Events API Request URL). */
export const handler = httpApiHandler('slack event', async (request) => handleSlackEvents(request, await dependencies()), (request) => slackEventIdOf(request.body));
