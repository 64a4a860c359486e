import { createHash } from 'node:crypto';
import { hexDigestsEqual, hmacSha256Hex } from '../../core/hmac';
import type { Headers } from '../types';

/**
 * Jira Cloud request check, two accepted schemes:
 * 1. Admin webhooks registered with a secret send `X-Hub-Signature: sha256=<hex>`, the
 *    HMAC-SHA256 of the raw body with that secret. When this header is present it alone decides.
 * 2. Jira Automation "Send web request" cannot sign; the rule sends the shared secret itself in
 *    `X-Automation-Webhook-Token`. Compared in constant time by comparing HMACs of both values
 *    (equal length whatever the token length). Weaker: the token is replayable, so the rule
 *    should also send a stable `X-Automation-Delivery-Id` for de-duplication.
 * Neither scheme signs a timestamp; replay protection is de-duplication on the delivery id.
 */
export function verifyJiraSignature(rawBody: Uint8Array, headers: Headers, secret: string): boolean {
  if (!secret) return false;
  const signature = headers['x-hub-signature'];
  if (signature !== undefined) {
    const prefix = 'sha256=';
    if (!signature.startsWith(prefix)) return false;
    return hexDigestsEqual(hmacSha256Hex(secret, rawBody), signature.slice(prefix.length));
  }
  const token = headers['x-automation-webhook-token'];
  if (token === undefined || token === '') return false;
  return hexDigestsEqual(hmacSha256Hex(secret, secret), hmacSha256Hex(secret, token));
}

/** Builds the `X-Hub-Signature` value Jira would send; used by the demo and tests. */
export function signJiraBody(body: Uint8Array | string, secret: string): string {
  return `sha256=${hmacSha256Hex(secret, body)}`;
}

/**
 * Delivery id: `X-Atlassian-Webhook-Identifier` (admin webhooks; same on retries). Automation
 * requests have none, so the rule should send a stable `X-Automation-Delivery-Id` header
 * (one value per triggering event, the same on every retry). Failing that, `jira-auto-` plus
 * the SHA-256 of the payload's `timestamp + issue.id + webhookEvent`.
 */
export function jiraDeliveryId(headers: Headers, payload: unknown): string | undefined {
  const atlassian = headers['x-atlassian-webhook-identifier'];
  if (atlassian) return atlassian;
  const automation = headers['x-automation-delivery-id'];
  if (automation) return automation;
  if (payload === null || typeof payload !== 'object') return undefined;
  const { timestamp, issue, webhookEvent } = payload as Record<string, unknown>;
  const issueId = issue !== null && typeof issue === 'object' ? (issue as Record<string, unknown>).id : undefined;
  if (!isScalar(timestamp) || !isScalar(issueId) || !isScalar(webhookEvent)) return undefined;
  const digest = createHash('sha256').update(`${timestamp}${issueId}${webhookEvent}`).digest('hex');
  return `jira-auto-${digest}`;
}

function isScalar(value: unknown): value is string | number {
  return (typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value));
}
