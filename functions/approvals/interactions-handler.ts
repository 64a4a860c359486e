import { ServiceSecretNames } from '../core/lambda-env';
import { httpApiHandler } from '../core/api-gateway';
import { logTo } from '../core/logger';
import { systemClock } from '../ports/clock';
import { once } from '../core/once';
import { approvals, bus, secrets, slackChat } from './approval-deps';
import { handleSlackInteraction, type InteractionDeps } from './interactions';

const dependencies = once<InteractionDeps>(async () => ({
  approvals,
  bus,
  chat: await slackChat({ fast: true }),
  clock: systemClock,
  signingSecret: await secrets.get(ServiceSecretNames.slackSigningSecret),
  log: logTo('warn'),
}));

/** API Gateway HTTP API adapter for `POST /slack/interactions`. */
export const handler = httpApiHandler('interaction', async (request) => handleSlackInteraction(request, await dependencies()));
