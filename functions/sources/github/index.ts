import type { WebhookSource } from '../types';
import { normalizeGitHubEvent } from './normalize';
import { verifyGitHubSignature } from './verify';

/** GitHub repository or organisation webhooks: deployments and merged pull requests, for DORA. */
export const gitHubSource: WebhookSource = {
  name: 'github',
  secretName: 'GITHUB_WEBHOOK_SECRET',
  verify: (rawBody, headers, secret) => verifyGitHubSignature(rawBody, headers, secret),
  // A GUID per delivery, kept by a manual redelivery (GitHub never redelivers by itself).
  deliveryId: (headers) => headers['x-github-delivery'],
  normalize: normalizeGitHubEvent,
};
