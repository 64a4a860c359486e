import { hexDigestsEqual, hmacSha256Hex } from '../../core/hmac';
import type { Headers } from '../types';

/**
 * Greenhouse Harvest webhook signature check.
 * `Signature: sha256 <hex>`: note the SPACE (not `=`) between scheme and digest. The digest
 * is HMAC-SHA256 of the raw body with the webhook's secret key. No timestamp is signed:
 * replay protection is de-duplication on `Greenhouse-Event-ID`.
 */
export function verifyGreenhouseSignature(rawBody: Uint8Array, headers: Headers, secret: string): boolean {
  const header = headers.signature;
  if (!header || !secret) return false;
  const match = /^sha256 ([0-9a-fA-F]+)$/.exec(header.trim());
  const value = match?.[1];
  if (!value) return false;
  return hexDigestsEqual(hmacSha256Hex(secret, rawBody), value);
}

/** Builds the `Signature` header Greenhouse would send; used by the demo and tests. */
export function signGreenhouseBody(rawBody: Uint8Array | string, secret: string): string {
  return `sha256 ${hmacSha256Hex(secret, rawBody)}`;
}
