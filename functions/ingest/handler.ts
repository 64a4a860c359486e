import { maxBodyBytes } from '../core/env';
import { httpApiHandler } from '../core/api-gateway';
import { logTo } from '../core/logger';
import { hiringRetentionDays } from '../core/retention';
import { systemClock } from '../ports/clock';
import { type IngestDeps, ingestWebhook } from './ingest';
import { deliveryIdOf, recordIngestOutcome } from './ingest-observability';
import { lambdaSecrets } from '../wiring/lambda-clients';
import { lambdaIngressBus, lambdaIngressStore } from '../wiring/lambda-ingress';

// Built once per container: clients, config and the secrets cache outlive invocations.
const deps: IngestDeps = {
  store: lambdaIngressStore(),
  bus: lambdaIngressBus(),
  secrets: lambdaSecrets(),
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
