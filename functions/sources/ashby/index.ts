import type { WebhookSource } from '../types';
import { ashbyDeliveryId, normalizeAshbyEvent } from './normalize';
import { redactPayload } from '../hiring-helpers';
import { verifyAshbySignature } from './verify';

/** Ashby webhooks: stage changes, offers, hires. */
export const ashbySource: WebhookSource = {
  name: 'ashby',
  secretName: 'ASHBY_WEBHOOK_SECRET',
  verify: (rawBody, headers, secret) => verifyAshbySignature(rawBody, headers, secret),
  deliveryId: (_headers, payload) => ashbyDeliveryId(payload),
  normalize: normalizeAshbyEvent,
  redactForStorage: redactPayload,
};
