import type { WebhookSource } from '../types';
import { normalizePagerDutyEvent } from './normalize';
import { verifyPagerDutySignature } from './verify';

/** PagerDuty Webhooks V3 (incident lifecycle). */
export const pagerDutySource: WebhookSource = {
  name: 'pagerduty',
  secretName: 'PAGERDUTY_WEBHOOK_SECRET',
  verify: (rawBody, headers, secret) => verifyPagerDutySignature(rawBody, headers, secret),
  deliveryId: (headers) => headers['x-webhook-id'],
  normalize: normalizePagerDutyEvent,
};
