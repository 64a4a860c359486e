import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC-SHA256 of the exact bytes, as lowercase hex. */
export function hmacSha256Hex(secret: string, data: Uint8Array | string): string {
  return createHmac('sha256', secret).update(data).digest('hex');
}

/**
 * Constant-time comparison of two hex digests. A malformed or differently sized candidate
 * is simply unequal; `timingSafeEqual` would throw on a length mismatch.
 */
export function hexDigestsEqual(expectedHex: string, candidateHex: string): boolean {
  if (!/^[0-9a-f]+$/i.test(candidateHex)) return false;
  const expected = Buffer.from(expectedHex, 'hex');
  const candidate = Buffer.from(candidateHex.toLowerCase(), 'hex');
  return expected.length === candidate.length && timingSafeEqual(expected, candidate);
}
