import type { EventBridgeEvent } from 'aws-lambda';
import { createDocumentClient } from '../adapters/dynamo-client';
import { DynamoStore } from '../adapters/dynamo-store';
import { canonicalEventSchema } from '../core/canonical-event';
import { required } from '../core/env';
import { LambdaEnv } from '../core/lambda-env';
import { logger } from '../core/logger';
import { hiringRetentionDays } from '../core/retention';
import { systemClock } from '../ports/clock';
import { handleApplicationEvent, type HiringWorkerDeps } from './hiring-worker';

const deps: HiringWorkerDeps = {
  store: new DynamoStore(createDocumentClient(), required(process.env, LambdaEnv.tableName)),
  clock: systemClock,
  retentionDays: hiringRetentionDays(process.env),
};

/** EventBridge target: one applicant-tracking event per invocation; errors rethrow so EventBridge retries. */
export async function handler(event: EventBridgeEvent<string, unknown>): Promise<void> {
  const recorded = await handleApplicationEvent(canonicalEventSchema.parse(event.detail), deps);
  // Ids only: names of candidates stay out of the logs.
  logger.info('application event recorded', { type: recorded.type, application: recorded.subject.id, fromStageDerived: recorded.facts.fromStageDerived === true });
}
