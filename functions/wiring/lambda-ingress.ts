import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { createDocumentClient, INGEST_DYNAMO_LIMITS } from '../adapters/dynamo-client';
import { DynamoStore } from '../adapters/dynamo-store';
import { EventBridgeBus } from '../adapters/eventbridge-bus';
import { required } from '../core/env';
import { LambdaEnv } from '../core/lambda-env';

/*
 * The store and bus of the HTTP endpoints that take events in (webhooks, Slack events). Their
 * callers retry after a few seconds, so every DynamoDB call and PutEvents is bounded to fail
 * well before: the sender gets a 503 and tries again, instead of a timeout and a duplicate.
 */

const EVENTBRIDGE_LIMITS = { maxAttempts: 2, requestHandler: { connectionTimeout: 500, requestTimeout: 1500, throwOnRequestTimeout: true } };

export function lambdaIngressStore(): DynamoStore {
  return new DynamoStore(createDocumentClient({ limits: INGEST_DYNAMO_LIMITS }), required(process.env, LambdaEnv.tableName));
}

export function lambdaIngressBus(): EventBridgeBus {
  return new EventBridgeBus(new EventBridgeClient(EVENTBRIDGE_LIMITS), required(process.env, LambdaEnv.eventBusName));
}
