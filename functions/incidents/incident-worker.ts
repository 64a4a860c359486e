import type { CanonicalEvent } from '../core/canonical-event';
import { incidentBriefId, incidentReplyId } from './document-ids';
import type { Clock } from '../ports/clock';
import type { Outbox } from '../ports/outbox';
import type { IncidentStore, OpenIncident } from '../ports/store';
import type { Writer } from '../ports/writer';
import { renderDocument } from '../slack/outbound/render-document';
import { briefAsOf, incidentStatusLine, incidentWriteRequest } from './incident-documents';
import { foldIncident, type IncidentState } from './incident-state';

export interface IncidentWorkerDeps {
  store: IncidentStore;
  outbox: Outbox;
  writer: Writer;
  clock: Clock;
  channel: string;
}

/**
 * Handles one incident event, idempotently:
 * 1. record it in the timeline (a duplicate is a no-op) and fold the timeline into state;
 * 2. make sure the incident has exactly one top-level brief (whichever event arrives first
 *    creates it, so an out-of-order `acknowledged` still yields a single brief);
 * 3. hand this event's thread reply to the outbox once (the closing brief for `resolved`);
 * 4. revise the brief's status line (edited in place, or folded into its first post).
 * Every document has a stable outbox id, so a repeated or concurrent delivery of an event
 * records it once; Slack being down leaves it pending in the outbox, not failing this worker.
 */
export async function handleIncidentEvent(event: CanonicalEvent, deps: IncidentWorkerDeps): Promise<void> {
  const key = `${event.source}#${event.subject.id}`;
  await deps.store.appendIncidentEvent(key, event);
  const record = await deps.store.loadIncident(key);
  const state = foldIncident(record.timeline.map((entry) => entry.event));
  const briefId = incidentBriefId(key);

  // A brief written by this call already shows the current state: no revision needed.
  let brief = record.brief;
  let briefShowsState = false;
  if (!brief) {
    const document = await deps.writer.write(incidentWriteRequest('incident.brief', state));
    const rendered = renderDocument(document, incidentStatusLine(state));
    const sent = await deps.outbox.send({ id: briefId, kind: 'incident.brief', channel: deps.channel, ...rendered, document, order: record.timeline.length });
    // A concurrent worker may have recorded its brief first: that one stands, and its status line may be older.
    briefShowsState = sent.text === rendered.text;
    brief = await deps.store.saveBrief(key, { documentId: briefId, document: sent.document ?? document });
  }

  // `triggered` is what the brief itself reports; every other event gets one reply.
  const entry = record.timeline.find((candidate) => candidate.event.id === event.id);
  if (event.type !== 'incident.triggered' && entry) {
    const replyId = incidentReplyId(key, entry.event.id);
    if (!(await deps.outbox.get(replyId))) {
      const kind = event.type === 'incident.resolved' ? 'incident.closing' : 'incident.update';
      const document = await deps.writer.write(incidentWriteRequest(kind, state, entry.event));
      await deps.outbox.send({
        id: replyId,
        kind,
        channel: deps.channel,
        parentId: briefId,
        // Replies follow the events' order in the thread, however the workers interleave.
        threadPosition: new Date(entry.event.occurredAt).toISOString(),
        ...renderDocument(document, kind === 'incident.closing' ? incidentStatusLine(state) : undefined),
        document,
      });
    }
  }

  // The brief's wording stays as first written; only its status line follows the state.
  // `order` (events folded) keeps a slower worker holding an older state from overwriting a newer one.
  if (!briefShowsState) {
    await deps.outbox.revise(briefId, { ...renderDocument(briefAsOf(brief.document, state), incidentStatusLine(state)), order: record.timeline.length });
  }
  // Folded again from the timeline as it is now: a worker that started before a later event
  // (say `resolved`) was recorded must not put back an older state at the end.
  const latest = foldIncident((await deps.store.loadIncident(key)).timeline.map((entry) => entry.event));
  await deps.store.trackOpenIncident(key, latest.status === 'resolved' ? undefined : openIncident(key, latest));
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
