import type { WebhookSource } from '../types';
import { normalizeGreenhouseEvent } from './normalize';
import { redactPayload } from '../hiring-helpers';
import { verifyGreenhouseSignature } from './verify';

/** Greenhouse Recruiting (Harvest) webhooks: stage changes, offers, hires, rejections. */
export const greenhouseSource: WebhookSource = {
  name: 'greenhouse',
  secretName: 'GREENHOUSE_WEBHOOK_SECRET',
  verify: (rawBody, headers, secret) => verifyGreenhouseSignature(rawBody, headers, secret),
  deliveryId: (headers) => headers['greenhouse-event-id'] || undefined,
  normalize: normalizeGreenhouseEvent,
  redactForStorage: redactPayload,
};
