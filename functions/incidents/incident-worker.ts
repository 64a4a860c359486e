import type { CanonicalEvent } from '../core/canonical-event';
import { renderDocument } from '../slack/outbound/render-document';
import type { Chat } from '../ports/chat';
import type { Clock } from '../ports/clock';
import type { IncidentStore, OpenIncident, PostedDocument, PostTarget } from '../ports/store';
import type { Writer } from '../ports/writer';
import { briefAsOf, incidentStatusLine, incidentWriteRequest } from './incident-documents';
import { foldIncident, type IncidentState } from './incident-state';

export interface IncidentWorkerDeps {
  store: IncidentStore;
  chat: Chat;
  writer: Writer;
  clock: Clock;
  channel: string;
  /** How long a worker may hold the right to post before another may take over. */
  postLeaseMs?: number;
}

/** Thrown when another worker is mid-post; the bus retries the event shortly after. */
export class PostInProgressError extends Error {
  override readonly name = 'PostInProgressError';
}

/**
 * Handles one incident event, idempotently:
 * 1. record it in the timeline (a duplicate is a no-op) and fold the timeline into state;
 * 2. make sure the incident has exactly one top-level brief (whichever event arrives first
 *    creates it, so an out-of-order `acknowledged` still yields a single brief);
 * 3. post this event's thread reply once (the closing brief for `resolved`);
 * 4. refresh the brief's status line in place.
 * Each post is guarded by a lease in the store, so concurrent or repeated deliveries of
 * the same event never post twice.
 */
export async function handleIncidentEvent(event: CanonicalEvent, deps: IncidentWorkerDeps): Promise<void> {
  const key = `${event.source}#${event.subject.id}`;
  await deps.store.appendIncidentEvent(key, event);
  const record = await deps.store.loadIncident(key);
  const state = foldIncident(record.timeline.map((entry) => entry.event));

  // A brief posted by this call already shows the current state: no reload, no update.
  let brief = record.brief;
  let briefShowsState = false;
  if (!brief) {
    const posted = await postOnce(deps, key, { kind: 'brief' }, async () => {
      const document = await deps.writer.write(incidentWriteRequest('incident.brief', state));
      const message = await deps.chat.post({ channel: deps.channel, ...renderDocument(document, incidentStatusLine(state)) });
      return { ...message, document };
    });
    briefShowsState = posted !== undefined;
    // Another worker posted it between our read and our claim (rare): read what it recorded.
    brief = posted ?? (await deps.store.loadIncident(key)).brief;
    if (!brief) throw new PostInProgressError(`Brief for ${key} was not recorded`);
  }

  // `triggered` is what the brief itself reports; every other event gets one reply.
  const entry = record.timeline.find((candidate) => candidate.event.id === event.id);
  if (event.type !== 'incident.triggered' && entry && !entry.post) {
    const thread = brief;
    await postOnce(deps, key, { kind: 'reply', event: entry.event }, async () => {
      const kind = event.type === 'incident.resolved' ? 'incident.closing' : 'incident.update';
      const document = await deps.writer.write(incidentWriteRequest(kind, state, entry.event));
      const message = await deps.chat.post({
        channel: thread.channel,
        threadTs: thread.ts,
        ...renderDocument(document, kind === 'incident.closing' ? incidentStatusLine(state) : undefined),
      });
      return { ...message, document };
    });
  }

  if (!briefShowsState) await refreshBriefHeader(deps, brief, state);
  await deps.store.trackOpenIncident(key, state.status === 'resolved' ? undefined : openIncident(key, state));
}

function openIncident(key: string, state: IncidentState): OpenIncident {
  return {
    key,
    id: state.id,
    title: state.title,
    priority: state.priority ?? null,
    service: state.service ?? null,
    triggeredAt: state.triggeredAt ?? null,
    acknowledgedAt: state.acknowledgedAt ?? null,
    assignees: state.assignees,
  };
}

/**
 * Posts under the store's lease and records the post. Returns what this call posted, or
 * undefined when it had already been posted; throws when another worker holds the lease.
 */
async function postOnce(
  deps: IncidentWorkerDeps,
  key: string,
  target: PostTarget,
  post: () => Promise<PostedDocument>,
): Promise<PostedDocument | undefined> {
  const claim = await deps.store.claimPost(key, target, deps.clock.now(), deps.postLeaseMs ?? 60_000);
  if (claim === 'already-posted') return undefined;
  if (claim === 'held-by-another') throw new PostInProgressError(`Another worker is posting the ${target.kind} for ${key}`);
  const posted = await post();
  await deps.store.savePost(key, target, posted);
  return posted;
}

/** Re-renders the brief with the current status line; the brief's wording stays as first written. */
async function refreshBriefHeader(
  deps: IncidentWorkerDeps,
  brief: PostedDocument,
  state: IncidentState,
): Promise<void> {
  await deps.chat.update({ channel: brief.channel, ts: brief.ts, ...renderDocument(briefAsOf(brief.document, state), incidentStatusLine(state)) });
}
