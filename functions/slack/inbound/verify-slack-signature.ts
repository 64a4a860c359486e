import { signingSecrets } from '../../core/signing-secrets';
import { hexDigestsEqual, hmacSha256Hex } from '../../core/hmac';
import type { Headers } from '../../sources/types';

/** Slack's documented replay window: requests signed more than five minutes from now are refused. */
export const SLACK_TIMESTAMP_TOLERANCE_SECONDS = 300;

const SIGNATURE_HEADER = 'x-slack-signature';
const TIMESTAMP_HEADER = 'x-slack-request-timestamp';

export type SlackSignatureResult = { ok: true } | { ok: false; reason: 'missing_headers' | 'stale_timestamp' | 'bad_signature' };

/** The `v0` base string: `v0:<timestamp>:` followed by the raw body bytes, untouched. */
function baseString(timestamp: string, rawBody: Uint8Array | string): Buffer {
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
  return Buffer.concat([Buffer.from(`v0:${timestamp}:`, 'utf8'), body]);
}

/**
 * Slack request signature check (https://api.slack.com/authentication/verifying-requests-from-slack).
 * 1. `X-Slack-Request-Timestamp` is whole epoch seconds and must be within `toleranceSeconds`
 *    of `now`, past or future; anything else (not an integer, out of the window) is stale.
 * 2. `X-Slack-Signature` is `v0=` + hex(HMAC-SHA256(signingSecret, `v0:<timestamp>:<raw body>`)),
 *    computed over the bytes exactly as received (never a re-encoded or parsed body).
 * 3. The digest is compared in constant time. An empty secret never verifies; a value of several
 *    lines holds several secrets (rotation) and any of them verifies.
 * Never throws.
 */
export function verifySlackSignature(
  rawBody: Uint8Array,
  headers: Headers,
  signingSecret: string,
  now: Date,
  toleranceSeconds = SLACK_TIMESTAMP_TOLERANCE_SECONDS,
): SlackSignatureResult {
  const signature = headers[SIGNATURE_HEADER]?.trim();
  const timestamp = headers[TIMESTAMP_HEADER]?.trim();
  if (!signature || !timestamp) return { ok: false, reason: 'missing_headers' };

  // Digits only: rejects signs, decimals, exponents and whitespace that Number() would accept.
  if (!/^\d{1,15}$/.test(timestamp)) return { ok: false, reason: 'stale_timestamp' };
  const skew = Math.abs(now.getTime() / 1000 - Number(timestamp));
  // NaN (an invalid `now`) fails this comparison and is treated as stale.
  if (!(skew <= toleranceSeconds)) return { ok: false, reason: 'stale_timestamp' };

  // Several secrets (one per line) during a rotation: any of them verifies.
  const secrets = signingSecrets(signingSecret);
  if (secrets.length === 0) return { ok: false, reason: 'bad_signature' };
  const match = /^v0=([0-9a-fA-F]+)$/.exec(signature);
  const candidate = match?.[1];
  if (!candidate) return { ok: false, reason: 'bad_signature' };
  const base = baseString(timestamp, rawBody);
  return secrets.some((secret) => hexDigestsEqual(hmacSha256Hex(secret, base), candidate)) ? { ok: true } : { ok: false, reason: 'bad_signature' };
}

/**
 * The two headers Slack would send for `rawBody` at `now` (lower-cased names); used by the
 * local inbox page and tests. Accepts bytes as well as text so arbitrary bodies can be signed.
 */
export function signSlackRequest(rawBody: string | Uint8Array, signingSecret: string, now: Date): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return {
    [TIMESTAMP_HEADER]: timestamp,
    [SIGNATURE_HEADER]: `v0=${hmacSha256Hex(signingSecret, baseString(timestamp, rawBody))}`,
  };
}
