import { randomBytes } from 'node:crypto';
import { hexDigestsEqual, hmacSha256Hex } from '../../core/hmac';
import { MAX_TOKEN_LENGTH } from './schema';

export interface LeverVerifyOptions {
  /** Largest accepted distance between `triggeredAt` and now, either direction, in ms. */
  windowMs: number;
}

/**
 * Lever webhook signature check. Lever puts the signature in the body, not a header:
 * 1. The raw body must be UTF-8 JSON carrying `token` (string), `triggeredAt` (epoch ms,
 *    integer) and `signature` (hex).
 * 2. `signature = hex(HMAC-SHA256(signatureToken, token + triggeredAt))`. It does NOT cover
 *    `event` or `data`, so on its own it only proves Lever minted this token at that time.
 * 3. `triggeredAt` must be within `windowMs` of `now` (past or future), which bounds how
 *    long a captured token/signature pair can be replayed.
 * Within the window a replay of the same token is harmless: the delivery id is the body's
 * `token`, so ingest de-duplication treats the replay as a duplicate and it changes nothing.
 * Never throws: any malformed input is simply unverified.
 */
export function verifyLeverSignature(rawBody: Uint8Array, secret: string, now: Date, options: LeverVerifyOptions): boolean {
  if (!secret) return false;
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(rawBody));
  } catch {
    return false;
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  const { token, triggeredAt, signature } = body as Record<string, unknown>;
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return false;
  if (typeof triggeredAt !== 'number' || !Number.isSafeInteger(triggeredAt)) return false;
  if (typeof signature !== 'string' || signature.length === 0) return false;
  const expected = hmacSha256Hex(secret, `${token}${triggeredAt}`);
  const signed = hexDigestsEqual(expected, signature);
  const skew = Math.abs(triggeredAt - now.getTime());
  // NaN (an invalid `now`) fails this comparison and is rejected.
  const fresh = skew <= options.windowMs;
  return signed && fresh;
}

/** An unsigned Lever body: the event and its data; token defaults to a fresh random one. */
export interface UnsignedLeverBody {
  event: string;
  data: Record<string, unknown>;
  token?: string;
}

export interface SignedLeverBody {
  token: string;
  triggeredAt: number;
  event: string;
  signature: string;
  data: Record<string, unknown>;
}

/** Builds the full body Lever would send at `now`, signed with `secret`; for the demo and tests. */
export function signLeverPayload(body: UnsignedLeverBody, secret: string, now: Date): SignedLeverBody {
  const token = body.token ?? randomBytes(16).toString('hex');
  const triggeredAt = now.getTime();
  return {
    token,
    triggeredAt,
    event: body.event,
    signature: hmacSha256Hex(secret, `${token}${triggeredAt}`),
    data: body.data,
  };
}
