import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { answerSafely, type HttpRequest, type HttpResponse } from './http';
import { instrumented } from './lambda-handler';
import { logger } from './logger';

/**
 * The API Gateway HTTP API (payload v2) side of every HTTP function: the exact body bytes
 * (base64-decoded when API Gateway encoded them), lower-cased header names, a JSON answer, and
 * a 503 with a reason when the store cannot be reached, and a 500 that says nothing about the
 * cause when the handler throws anything else. `correlationId` names what the request is about
 * (delivery id, approval id); API Gateway's request id otherwise.
 */
export function httpApiHandler(
  name: string,
  handle: (request: HttpRequest, event: APIGatewayProxyEventV2) => Promise<HttpResponse>,
  correlationId: (request: HttpRequest, event: APIGatewayProxyEventV2) => string | undefined = () => undefined,
): (event: APIGatewayProxyEventV2, context?: Context) => Promise<APIGatewayProxyStructuredResultV2> {
  const toRequest = (event: APIGatewayProxyEventV2): HttpRequest => ({
    method: event.requestContext.http.method,
    headers: Object.fromEntries(Object.entries(event.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    body: event.body === undefined ? new Uint8Array() : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8'),
  });
  return instrumented(
    (event: APIGatewayProxyEventV2) => correlationId(toRequest(event), event) ?? event.requestContext.requestId,
    async (event) => {
      let handled = false;
      const response = await answerSafely(
        name,
        async () => {
          const answer = await handle(toRequest(event), event);
          handled = true;
          return answer;
        },
        { warn: (message, detail) => logger.warn(message, detail), error: (message, detail) => logger.error(message, detail) },
      );
      if (handled) logger.info(`${name} handled`, { status: response.status, path: event.rawPath });
      return json(response.status, response.body);
    },
  );
}

function json(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
