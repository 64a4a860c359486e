import type { EventBridgeEvent } from 'aws-lambda';
import { loadAttentionConfig } from './attention-config';
import { canonicalEventSchema } from '../core/canonical-event';
import { required } from '../core/env';
import { LambdaEnv } from '../core/lambda-env';
import { canonicalEventId, instrumented } from '../core/lambda-handler';
import { once } from '../core/once';
import { handleIncidentEvent, type IncidentWorkerDeps } from './incident-worker';
import { logger } from '../core/logger';
import { lambdaWorkerInfrastructure } from '../wiring/lambda-infrastructure';
import { incidentWorkerDeps } from '../wiring/worker-deps';

const channel = required(process.env, LambdaEnv.slackChannelIncidents);
// Refused at start (a cold start that fails names the variable), not on the first event.
const config = loadAttentionConfig(process.env);

/** Secrets are fetched on first use (then cached by Powertools), not at import time. */
const infrastructure = lambdaWorkerInfrastructure();
const dependencies = once(async (): Promise<IncidentWorkerDeps> => incidentWorkerDeps(await infrastructure(), { channel, config }));

/** EventBridge target: one canonical incident event per invocation. Errors rethrow so EventBridge retries, then dead-letters. */
export const handler = instrumented(canonicalEventId, async (event: EventBridgeEvent<string, unknown>): Promise<void> => {
  const incidentEvent = canonicalEventSchema.parse(event.detail);
  await handleIncidentEvent(incidentEvent, await dependencies());
  logger.info('incident event handled', { type: incidentEvent.type, incident: incidentEvent.subject.id });
});
