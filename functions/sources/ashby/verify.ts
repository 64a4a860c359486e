import { hexDigestsEqual, hmacSha256Hex } from '../../core/hmac';
import type { Headers } from '../types';

/**
 * Ashby webhook signature check: `Ashby-Signature: sha256=<hex>`, HMAC-SHA256 of the raw
 * body with the webhook's secret token. No timestamp is signed: replay protection is
 * de-duplication on `webhookActionId` plus the action.
 */
export function verifyAshbySignature(rawBody: Uint8Array, headers: Headers, secret: string): boolean {
  const header = headers['ashby-signature'];
  if (!header || !secret) return false;
  const match = /^sha256=([0-9a-fA-F]+)$/.exec(header.trim());
  const value = match?.[1];
  if (!value) return false;
  return hexDigestsEqual(hmacSha256Hex(secret, rawBody), value);
}

/** Builds the `Ashby-Signature` header Ashby would send; used by the demo and tests. */
export function signAshbyBody(rawBody: Uint8Array | string, secret: string): string {
  return `sha256=${hmacSha256Hex(secret, rawBody)}`;
}
