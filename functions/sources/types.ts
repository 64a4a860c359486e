import type { CanonicalEvent } from '../core/canonical-event';

/** Request headers with lower-cased names, as both API Gateway v2 and the local server give them. */
export type Headers = Readonly<Record<string, string | undefined>>;

/** Why a verified, well-formed delivery produced no event. */
export interface Ignored {
  ignored: true;
  reason: string;
}

export type Normalized = { ignored: false; events: CanonicalEvent[] } | Ignored;

/** A schema failure a sender can act on: names the field and what was wrong. */
export class PayloadInvalidError extends Error {
  override readonly name = 'PayloadInvalidError';
}

/**
 * One webhook vendor. Everything vendor-specific lives behind this interface, so ingest,
 * CDK (routes, secrets, grants) and the local runtime loop over the registry instead of
 * naming vendors.
 */
export interface WebhookSource {
  /** Path segment in `POST /webhooks/{name}` and `source` of its canonical events. */
  name: string;
  /** Environment variable (locally) and secret name (in AWS) holding the signing secret. */
  secretName: string;
  /** Pure check of the raw bytes as received; `now` for schemes that sign a timestamp. */
  verify(rawBody: Uint8Array, headers: Headers, secret: string, now: Date): boolean;
  /** Delivery id used for de-duplication; stable across the sender's retries. */
  deliveryId(headers: Headers, payload: unknown): string | undefined;
  /**
   * Validates the parsed JSON and maps it to canonical events, or says why it is ignored.
   * `headers` for vendors that name the event in a header (GitHub's `X-GitHub-Event`).
   */
  normalize(payload: unknown, deliveryId: string, headers?: Headers): Normalized;
  /**
   * The payload as it may be stored for audit, with personal data removed. Sources that
   * carry none omit it and the raw body is stored as received (trimmed).
   */
  redactForStorage?(payload: unknown): unknown;
}
