import { positiveInt } from '../../core/env';
import { LambdaEnv } from '../../core/lambda-env';
import { redactPayload } from '../hiring-helpers';
import type { WebhookSource } from '../types';
import { normalizeLeverEvent } from './normalize';
import { MAX_TOKEN_LENGTH } from './schema';
import { type LeverVerifyOptions, verifyLeverSignature } from './verify';

export { signLeverPayload } from './verify';

/** Default replay window for `triggeredAt`: five minutes either side of now. */
export const LEVER_DEFAULT_WINDOW_MS = 5 * 60_000;

/** Lever webhooks (candidate stage changes, hires, new applications). */
export function createLeverSource(options: LeverVerifyOptions): WebhookSource {
  return {
    name: 'lever',
    secretName: 'LEVER_SIGNATURE_TOKEN',
    verify: (rawBody, _headers, secret, now) => verifyLeverSignature(rawBody, secret, now, options),
    // Lever sends no delivery header; the body's `token` is unique per webhook and identical on
    // a replay, so a replayed request is de-duplicated by ingest and changes nothing.
    deliveryId: (_headers, payload) => {
      if (payload === null || typeof payload !== 'object') return undefined;
      const { token } = payload as Record<string, unknown>;
      return typeof token === 'string' && token.length > 0 && token.length <= MAX_TOKEN_LENGTH ? token : undefined;
    },
    normalize: normalizeLeverEvent,
    // Candidate contact data (emails, phones, addresses, links) never reaches storage.
    redactForStorage: redactPayload,
  };
}

/** The registered source; `LEVER_TIMESTAMP_WINDOW_MS` widens or narrows the replay window. */
export const leverSource: WebhookSource = createLeverSource({
  windowMs: positiveInt(process.env, LambdaEnv.leverTimestampWindowMs, LEVER_DEFAULT_WINDOW_MS),
});
