import { errorResponse, type HttpRequest, type HttpResponse } from '../../core/http';
import { verifySlackSignature } from './verify-slack-signature';

/**
 * The checks every request from Slack passes before its body is read (interactions, events):
 * POST, a bounded size, a configured signing secret, and Slack's `v0` signature in its window.
 * Returns the refusal to send, or undefined when the request may be handled.
 */
export function refuseUnverifiedSlackRequest(
  request: HttpRequest,
  options: { what: string; maxBytes: number; signingSecret: string | undefined; now: Date },
): HttpResponse | undefined {
  if (request.method !== 'POST') return errorResponse(405, `method not allowed: ${options.what} are POST`);
  if (request.body.byteLength > options.maxBytes) return errorResponse(413, 'payload too large');
  if (!options.signingSecret) return errorResponse(503, 'the Slack signing secret is not configured');
  const verified = verifySlackSignature(request.body, request.headers, options.signingSecret, options.now);
  if (verified.ok) return undefined;
  return errorResponse(401, verified.reason === 'stale_timestamp' ? 'request timestamp is more than 5 minutes from now' : 'missing or invalid Slack signature');
}
