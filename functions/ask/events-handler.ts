import { httpApiHandler } from '../core/api-gateway';
import { logTo } from '../core/logger';
import { once } from '../core/once';
import { systemClock } from '../ports/clock';
import { handleSlackEvents, type SlackEventsDeps, slackEventIdOf } from './events-endpoint';
import { lambdaSecrets } from '../wiring/lambda-clients';
import { lambdaIngressBus, lambdaIngressStore } from '../wiring/lambda-ingress';

// Bounded like the webhooks': Slack retries after 3 s, so a stuck call must fail well before.
const store = lambdaIngressStore();
const bus = lambdaIngressBus();
const secrets = lambdaSecrets();

const dependencies = once<SlackEventsDeps>(async () => ({
  store,
  bus,
  clock: systemClock,
  secrets,
  log: logTo('warn'),
}));

/** API Gateway HTTP API adapter for `POST /slack/events` (Slack's Events API Request URL). */
export const handler = httpApiHandler(
  'slack event',
  async (request) => handleSlackEvents(request, await dependencies()),
  (request) => slackEventIdOf(request.body),
);
