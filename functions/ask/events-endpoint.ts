import { errorResponse, type HttpRequest, type HttpResponse } from '../core/http';
import { daysAfter } from '../core/retention';
import type { EventBus } from '../ports/bus';
import type { Clock } from '../ports/clock';
import type { Secrets } from '../ports/secrets';
import type { DeliveryStore } from '../ports/store';
import { StoreUnavailableError } from '../ports/store-unavailable';
import { refuseUnverifiedSlackRequest } from '../slack/inbound/slack-request';
import { parseSlackEvent, SLACK_EVENT_SOURCE, SlackEventsPayloadError } from './slack-events';

export interface SlackEventsDeps {
  /** The ingest's delivery record: a Slack `event_id` is recorded once, like a webhook delivery id. */
  store: DeliveryStore;
  bus: EventBus;
  clock: Clock;
  /** Holds `SLACK_SIGNING_SECRET`, read per request (cached) so a rotation is followed. */
  secrets: Secrets;
  log?: (message: string, detail: Record<string, unknown>) => void;
}

/** Events API bodies are small JSON documents; anything bigger is not Slack. */
export const MAX_SLACK_EVENT_BYTES = 64 * 1024;
/** Slack retries for about an hour; a day of records covers every retry. */
const EVENT_RETENTION_DAYS = 1;

/**
 * `POST /slack/events`: Slack's signature over the raw body (the same check as interactions),
 * the `url_verification` challenge, then for an event one conditional write of its `event_id`
 * and one publish, answered at once: the answer is written by the answer worker and posted
 * through the outbox. A retry of an event (`X-Slack-Retry-Num`) finds the record: published
 * again only when the first attempt's publish was not confirmed, and the worker answers an
 * event once whatever it receives. A rejected request writes nothing.
 */
export async function handleSlackEvents(request: HttpRequest, deps: SlackEventsDeps): Promise<HttpResponse> {
  const refused = await refuseUnverifiedSlackRequest(request, {
    what: 'Slack events',
    maxBytes: MAX_SLACK_EVENT_BYTES,
    secrets: deps.secrets,
    clock: deps.clock,
  });
  if (refused) return refused;
  let action: ReturnType<typeof parseSlackEvent>;
  try {
    action = parseSlackEvent(request.body);
  } catch (error) {
    if (error instanceof SlackEventsPayloadError) return errorResponse(400, `invalid event: ${error.message}`);
    throw error;
  }
  if (action.kind === 'challenge') return { status: 200, body: { challenge: action.challenge } };
  // Slack wants a 2xx for everything it sends; an event we do not answer is acknowledged and dropped.
  if (action.kind === 'ignored') return { status: 200, body: { status: 'ignored', reason: action.reason } };

  const receivedAt = deps.clock.now();
  const state = await deps.store.recordDelivery({
    source: SLACK_EVENT_SOURCE,
    deliveryId: action.eventId,
    events: [action.event],
    receivedAt,
    expiresAt: daysAfter(receivedAt, EVENT_RETENTION_DAYS),
  });
  if (state === 'published') return { status: 200, body: { status: 'duplicate', eventId: action.eventId } };
  try {
    await deps.bus.publish([action.event]);
  } catch (error) {
    deps.log?.('Slack event recorded but not published; Slack retries it', {
      eventId: action.eventId,
      error: error instanceof Error ? error.message : String(error),
    });
    return errorResponse(503, 'event recorded but not yet published; please retry');
  }
  if (state === 'unconfirmed') {
    try {
      await deps.store.markDeliveryPublished(SLACK_EVENT_SOURCE, action.eventId);
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
    }
  }
  return { status: 200, body: { status: 'accepted', eventId: action.eventId } };
}

/** The event id of a request, for the log's correlation id (read before verification: a log key only). */
export function slackEventIdOf(body: Uint8Array): string | undefined {
  try {
    const id = (JSON.parse(Buffer.from(body).toString('utf8')) as { event_id?: unknown }).event_id;
    return typeof id === 'string' ? `slack:${id.slice(0, 100)}` : undefined;
  } catch {
    return undefined;
  }
}
