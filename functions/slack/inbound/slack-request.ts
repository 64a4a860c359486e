import { errorResponse, type HttpRequest, type HttpResponse } from '../../core/http';
import { ServiceSecretNames } from '../../core/lambda-env';
import { withRereadOnRefusal } from '../../core/secret-reread';
import type { Clock } from '../../ports/clock';
import type { Secrets } from '../../ports/secrets';
import { type SlackSignatureResult, verifySlackSignature } from './verify-slack-signature';

/**
 * The checks every request from Slack passes before its body is read (interactions, events):
 * POST, a bounded size, a configured signing secret, and Slack's `v0` signature in its window.
 * A signature no cached secret verifies re-reads the secret (at most once a minute per
 * container), so a secret rotated in Slack verifies at once; a stale timestamp or an unsigned
 * request never does (nor spends that minute's re-read).
 * Returns the refusal to send, or undefined when the request may be handled.
 */
export async function refuseUnverifiedSlackRequest(
  request: HttpRequest,
  options: { what: string; maxBytes: number; secrets: Secrets; clock: Clock },
): Promise<HttpResponse | undefined> {
  if (request.method !== 'POST') return errorResponse(405, `method not allowed: ${options.what} are POST`);
  if (request.body.byteLength > options.maxBytes) return errorResponse(413, 'payload too large');
  const now = options.clock.now();
  const verified = await withRereadOnRefusal<SlackSignatureResult | 'not-configured'>(
    { secrets: options.secrets, clock: options.clock, name: ServiceSecretNames.slackSigningSecret },
    async (secret) => (secret ? verifySlackSignature(request.body, request.headers, secret, now) : 'not-configured'),
    // Only a signature no cached secret verifies can be mended by a fresher secret; no headers or a stale time cannot.
    (outcome) => outcome.ok && (outcome.value === 'not-configured' || (!outcome.value.ok && outcome.value.reason === 'bad_signature')),
  );
  if (verified === 'not-configured') return errorResponse(503, 'the Slack signing secret is not configured');
  if (verified.ok) return undefined;
  return errorResponse(401, verified.reason === 'stale_timestamp' ? 'request timestamp is more than 5 minutes from now' : 'missing or invalid Slack signature');
}
