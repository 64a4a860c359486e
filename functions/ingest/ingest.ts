import { canonicalEventSchema } from '../core/canonical-event';
import { errorResponse, type HttpRequest, type HttpResponse } from '../core/http';
import { withRereadOnRefusal } from '../core/secret-reread';
import { signingSecrets } from '../core/signing-secrets';
import { DEFAULT_HIRING_RETENTION_DAYS, DELIVERY_RETENTION_DAYS, daysAfter, isHiringEvent } from '../core/retention';
import type { EventBus } from '../ports/bus';
import type { Clock } from '../ports/clock';
import type { Secrets } from '../ports/secrets';
import type { DeliveryState, DeliveryStore } from '../ports/store';
import { StoreUnavailableError } from '../ports/store-unavailable';
import { findSource } from '../sources/registry';
import { PayloadInvalidError } from '../sources/types';
import { trimForBus, wasTrimmed } from './trim-for-bus';

export interface IngestDeps {
  store: DeliveryStore;
  bus: EventBus;
  secrets: Secrets;
  clock: Clock;
  maxBodyBytes: number;
  /** Retention of applicant-tracking data; a delivery about a candidate is never kept longer. */
  hiringRetentionDays?: number;
  log?: (message: string, detail: Record<string, unknown>) => void;
}

/**
 * `POST /webhooks/{source}`: verify → validate → de-duplicate → publish → 202.
 * Nothing is written before the request is verified and valid, so a rejected request
 * leaves no trace. The happy path is one conditional put and one publish: the record is
 * written before publishing and never touched after (docs/adr/0013-one-write-ingest.md).
 * A failed publish answers 503; the sender's retry (same delivery id) finds the record
 * unconfirmed, publishes again and confirms it, so nothing is dropped as a duplicate. A
 * redelivery of a delivery that did publish also republishes once (the workers drop events
 * they have seen); only after that confirmation is a redelivery a plain 200.
 */
export async function ingestWebhook(sourceName: string, request: HttpRequest, deps: IngestDeps): Promise<HttpResponse> {
  const source = findSource(sourceName);
  if (!source) return errorResponse(404, `unknown webhook source: ${sourceName}`);
  if (request.method !== 'POST') return errorResponse(405, 'method not allowed: webhooks are POST');
  if (request.body.byteLength > deps.maxBodyBytes) {
    return errorResponse(413, `payload too large: ${request.body.byteLength} bytes, limit ${deps.maxBodyBytes}`);
  }

  // Several secrets (one per line) while one is being rotated: any of them verifies. A request no
  // cached secret verifies re-reads the secret (at most once a minute), so a rotation needs no wait.
  const now = deps.clock.now();
  const verdict = await withRereadOnRefusal(
    { secrets: deps.secrets, clock: deps.clock, name: source.secretName },
    async (value) => {
      const secrets = signingSecrets(value);
      if (secrets.length === 0) return 'not-configured';
      return secrets.some((secret) => source.verify(request.body, request.headers, secret, now)) ? 'verified' : 'refused';
    },
    (outcome) => outcome.ok && outcome.value !== 'verified',
  );
  if (verdict === 'not-configured') return errorResponse(503, `signing secret for ${source.name} is not configured`);
  if (verdict === 'refused') return errorResponse(401, 'missing or invalid signature');

  let text: string;
  let payload: unknown;
  try {
    // fatal: a body that is not valid UTF-8 is rejected rather than silently altered.
    text = new TextDecoder('utf-8', { fatal: true }).decode(request.body);
    payload = JSON.parse(text);
  } catch {
    return errorResponse(400, 'body is not valid UTF-8 JSON');
  }

  const deliveryId = source.deliveryId(request.headers, payload);
  if (!deliveryId) return errorResponse(400, 'missing delivery id header');

  let normalized: ReturnType<typeof source.normalize>;
  try {
    normalized = source.normalize(payload, deliveryId, request.headers);
    if (!normalized.ignored) normalized = { ignored: false, events: normalized.events.map((event) => canonicalEventSchema.parse(trimForBus(event))) };
  } catch (error) {
    if (error instanceof PayloadInvalidError) return errorResponse(400, `invalid payload: ${error.message}`);
    if (error instanceof Error && error.name === 'ZodError') return errorResponse(400, 'invalid payload: could not normalise');
    throw error;
  }
  if (normalized.ignored) return { status: 202, body: { status: 'ignored', reason: normalized.reason } };

  const { events } = normalized;
  const receivedAt = deps.clock.now();
  const hiringDays = deps.hiringRetentionDays ?? DEFAULT_HIRING_RETENTION_DAYS;
  const retentionDays = events.some(isHiringEvent) ? Math.min(DELIVERY_RETENTION_DAYS, hiringDays) : DELIVERY_RETENTION_DAYS;
  let state: DeliveryState;
  try {
    state = await deps.store.recordDelivery({
      source: source.name,
      deliveryId,
      events,
      // The bus carries every fact unless one was clipped; only then is the body the sole full copy.
      ...(events.some(wasTrimmed) ? { rawBody: source.redactForStorage ? JSON.stringify(source.redactForStorage(payload)) : text } : {}),
      receivedAt,
      expiresAt: daysAfter(receivedAt, retentionDays),
    });
  } catch (error) {
    // Nothing was recorded (or the write's outcome is unknown, which the retry's conditional put settles).
    if (error instanceof StoreUnavailableError) {
      deps.log?.('event store unavailable; answered 503 for the retry', { source: source.name, deliveryId, error: error.detail });
      return errorResponse(503, `event store unavailable; nothing recorded, please retry (${error.detail})`);
    }
    throw error;
  }
  if (state === 'published') return { status: 200, body: { status: 'duplicate', deliveryId } };

  try {
    await deps.bus.publish(events);
  } catch (error) {
    deps.log?.('publish failed; delivery left unconfirmed for the retry', {
      source: source.name,
      deliveryId,
      error: error instanceof Error ? error.message : String(error),
    });
    return errorResponse(503, 'event recorded but not yet published; please retry');
  }
  const accepted = { status: 'accepted', deliveryId, events: events.map((event) => event.type) };
  if (state === 'new') return { status: 202, body: accepted };
  try {
    await deps.store.markDeliveryPublished(source.name, deliveryId);
  } catch (error) {
    // The events are on the bus; a later redelivery republishes them and the workers de-duplicate by event id.
    if (!(error instanceof StoreUnavailableError)) throw error;
    deps.log?.('republished, but the delivery could not be confirmed', { source: source.name, deliveryId, error: error.detail });
  }
  return { status: 202, body: { ...accepted, republished: true } };
}
