import { hexDigestsEqual, hmacSha256Hex } from '../../core/hmac';
import type { Headers } from '../types';

/**
 * PagerDuty Webhooks V3 signature check.
 * 1. `X-PagerDuty-Signature` lists one or more `v1=<hex>` values, comma separated; during a
 *    secret rotation PagerDuty signs with each active secret.
 * 2. Each value is HMAC-SHA256 of the raw body with the subscription's secret.
 * 3. Any one match is enough. V3 signs no timestamp: replay protection is de-duplication
 *    on `X-Webhook-Id`.
 */
export function verifyPagerDutySignature(rawBody: Uint8Array, headers: Headers, secret: string): boolean {
  const header = headers['x-pagerduty-signature'];
  if (!header || !secret) return false;
  const expected = hmacSha256Hex(secret, rawBody);
  // Compare against every offered signature (no early exit) so timing does not reveal which matched.
  let matched = false;
  for (const part of header.split(',')) {
    const [scheme, value] = part.trim().split('=', 2);
    if (scheme === 'v1' && value && hexDigestsEqual(expected, value)) matched = true;
  }
  return matched;
}

/** Builds the header PagerDuty would send; used by the demo and tests to sign payloads. */
export function signPagerDutyBody(rawBody: Uint8Array | string, secrets: string[]): string {
  return secrets.map((secret) => `v1=${hmacSha256Hex(secret, rawBody)}`).join(',');
}
