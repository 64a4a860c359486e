import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { ServiceSecretNames } from '../core/lambda-env';
import { logger, logTo } from '../core/logger';
import { systemClock } from '../ports/clock';
import { approvals, bus, once, secrets, slackChat } from './approval-deps';
import { handleSlackInteraction, type InteractionDeps } from './interactions';

const dependencies = once<InteractionDeps>(async () => ({
  approvals,
  bus,
  chat: await slackChat({ fast: true }),
  clock: systemClock,
  signingSecret: await secrets.get(ServiceSecretNames.slackSigningSecret),
  log: logTo('warn'),
}));

/** API Gateway HTTP API (payload v2) adapter for `POST /slack/interactions`. */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const body = event.body === undefined ? new Uint8Array() : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  const headers = Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  try {
    const response = await handleSlackInteraction({ method: event.requestContext.http.method, headers, body }, await dependencies());
    logger.info('interaction handled', { status: response.status });
    return { statusCode: response.status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(response.body) };
  } catch (error) {
    logger.error('interaction failed', { error: error instanceof Error ? error.message : String(error) });
    return { statusCode: 500, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ error: 'internal error' }) };
  }
}
