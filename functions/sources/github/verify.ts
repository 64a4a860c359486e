import { hexDigestsEqual, hmacSha256Hex } from '../../core/hmac';
import type { Headers } from '../types';

/**
 * GitHub webhook signature check: `X-Hub-Signature-256: sha256=<hex>`, the HMAC-SHA256 of the
 * raw body with the hook's secret. The SHA-1 `X-Hub-Signature` GitHub also sends is legacy and
 * never enough on its own. GitHub signs no timestamp: replay protection is de-duplication on
 * `X-GitHub-Delivery`, which a manual redelivery keeps.
 */
export function verifyGitHubSignature(rawBody: Uint8Array, headers: Headers, secret: string): boolean {
  const signature = headers['x-hub-signature-256'];
  const prefix = 'sha256=';
  if (!secret || !signature?.startsWith(prefix)) return false;
  return hexDigestsEqual(hmacSha256Hex(secret, rawBody), signature.slice(prefix.length));
}

/** Builds the `X-Hub-Signature-256` value GitHub would send; used by the demo and tests. */
export function signGitHubBody(body: Uint8Array | string, secret: string): string {
  return `sha256=${hmacSha256Hex(secret, body)}`;
}
