import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createDocumentClient } from '../adapters/dynamo-client';
import { DynamoStore } from '../adapters/dynamo-store';
import { EventBridgeBus } from '../adapters/eventbridge-bus';
import { SecretsManagerSecrets } from '../adapters/secrets-manager-secrets';
import { maxBodyBytes, required } from '../core/env';
import { LambdaEnv } from '../core/lambda-env';
import { logger, logTo } from '../core/logger';
import { hiringRetentionDays } from '../core/retention';
import { systemClock } from '../ports/clock';
import { type IngestDeps, ingestWebhook } from './ingest';

// Built once per container: clients, config and the secrets cache outlive invocations.
const deps: IngestDeps = {
  store: new DynamoStore(createDocumentClient(), required(process.env, LambdaEnv.tableName)),
  bus: new EventBridgeBus(new EventBridgeClient({}), required(process.env, LambdaEnv.eventBusName)),
  secrets: new SecretsManagerSecrets(process.env),
  clock: systemClock,
  maxBodyBytes: maxBodyBytes(process.env),
  hiringRetentionDays: hiringRetentionDays(process.env),
  log: logTo('error'),
};

/** API Gateway HTTP API (payload v2) adapter for `POST /webhooks/{source}`. */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const source = event.pathParameters?.source ?? '';
  // API Gateway base64-encodes non-text bodies; decode to the exact bytes either way.
  const body = event.body === undefined ? new Uint8Array() : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  try {
    const response = await ingestWebhook(source, { method: event.requestContext.http.method, headers, body }, deps);
    logger.info('webhook handled', { source, status: response.status });
    return { statusCode: response.status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(response.body) };
  } catch (error) {
    logger.error('webhook failed', { source, error: error instanceof Error ? error.message : String(error) });
    return { statusCode: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: 'internal error; please retry' }) };
  }
}
