import type { WebhookSource } from '../types';
import { normalizeJiraEvent, redactJiraPayload } from './normalize';
import { jiraDeliveryId, verifyJiraSignature } from './verify';

/**
 * Jira Cloud issue webhooks (admin webhooks signed with `X-Hub-Signature`), or Jira Automation
 * "Send web request" rules with a shared-secret header. Automation rules must send a custom
 * body in the webhook shape:
 * `{"webhookEvent":"jira:issue_updated","timestamp":{{now.toMillis}},"user":{"displayName":"{{initiator.displayName}}"},
 *   "issue":{"id":"{{issue.id}}","key":"{{issue.key}}","self":"{{issue.url}}", "fields":{…}},
 *   "changelog":{"id":"…","items":[{"field":"status","fromString":"{{changelog.status.fromString}}","toString":"{{changelog.status.toString}}"}]}}`
 * plus headers `X-Automation-Webhook-Token: <secret>` and a stable `X-Automation-Delivery-Id`.
 */
export const jiraSource: WebhookSource = {
  name: 'jira',
  secretName: 'JIRA_WEBHOOK_SECRET',
  verify: (rawBody, headers, secret) => verifyJiraSignature(rawBody, headers, secret),
  deliveryId: jiraDeliveryId,
  normalize: normalizeJiraEvent,
  redactForStorage: redactJiraPayload,
};
