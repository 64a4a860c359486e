import type { CanonicalEvent } from '../core/canonical-event';
import { writeOnce, writingDeps } from '../outbox/write-once';
import type { AttentionDecision, AttentionStore } from '../ports/attention-store';
import type { Clock } from '../ports/clock';
import type { Outbox } from '../ports/outbox';
import type { IncidentStore, OpenIncident } from '../ports/store';
import type { WriteClaims } from '../ports/write-claims';
import type { Writer } from '../ports/writer';
import { renderDocument } from '../slack/outbound/render-document';
import { deservesBrief } from './attention';
import { type AttentionConfig, DEFAULT_ATTENTION } from './attention-config';
import { incidentBriefId, incidentReplyId } from './document-ids';
import { briefAsOf, incidentStatusLine, incidentWriteRequest } from './incident-documents';
import { decideAttention } from './incident-storm';
import { foldIncident, type IncidentState } from './incident-state';
import { handleRollupEvent } from './rollup';

export interface IncidentWorkerDeps {
  store: IncidentStore;
  outbox: Outbox;
  writer: Writer;
  clock: Clock;
  channel: string;
  /** Who may write each document (one model call per document). */
  claims: WriteClaims;
  /** Brief or roll-up, per incident, under the storm gate. */
  attention: AttentionStore;
  /** BRIEF_MIN_PRIORITY and the storm settings; the defaults when left out. */
  config?: AttentionConfig;
  /** How a worker that lost a write claim waits (virtual time in tests). */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Handles one incident event, idempotently:
 * 1. record it in the timeline (a duplicate is a no-op) and fold the timeline into state;
 * 2. an incident below BRIEF_MIN_PRIORITY stops here: recorded and counted (the digest), nothing in Slack;
 * 3. otherwise its decision, taken once under the storm gate: a brief of its own, or a line in the roll-up;
 * 4. brief: exactly one top-level brief, written once from the whole timeline (whichever event
 *    arrives first, or the one that raised it to the threshold), one thread reply per later
 *    event (the closing brief for `resolved`), and its status line kept current.
 * Every document has a stable outbox id and is written under a claim on that id, so a repeated
 * or concurrent delivery calls the writer once; Slack being down leaves it pending in the outbox.
 */
export async function handleIncidentEvent(event: CanonicalEvent, deps: IncidentWorkerDeps): Promise<void> {
  const config = deps.config ?? DEFAULT_ATTENTION;
  const key = `${event.source}#${event.subject.id}`;
  await deps.store.appendIncidentEvent(key, event);
  const record = await deps.store.loadIncident(key);
  const events = record.timeline.map((entry) => entry.event);
  const state = foldIncident(events);
  const entry = record.timeline.find((candidate) => candidate.event.id === event.id);
  // Briefs from before decisions were recorded count as decided.
  const decided: AttentionDecision | undefined = record.brief ? { mode: 'brief', decidedAt: '' } : await deps.attention.decision(key);
  if (decided || deservesBrief(state, config)) {
    const decision = decided ?? (await deps.attention.decide(key, (gate) => decideAttention(gate, deps.clock.now(), config)));
    const before = earlierState(events, entry?.event ?? event);
    if (decision.mode === 'rollup') {
      await handleRollupEvent(decision.rollupId, key, state, before, entry?.event ?? event, events.length, { ...deps, config, writing: writingDeps(deps) });
    } else {
      await brief(key, state, record.brief === undefined, before, entry?.event, events.length, deps, config);
    }
  }
  // Folded again from the timeline as it is now: a worker that started before a later event
  // (say `resolved`) was recorded must not put back an older state at the end.
  const latest = foldIncident((await deps.store.loadIncident(key)).timeline.map((item) => item.event));
  await deps.store.trackOpenIncident(key, latest.status === 'resolved' ? undefined : openIncident(key, latest));
}

async function brief(
  key: string,
  state: IncidentState,
  briefMissing: boolean,
  before: IncidentState | undefined,
  event: CanonicalEvent | undefined,
  order: number,
  deps: IncidentWorkerDeps,
  config: AttentionConfig,
): Promise<void> {
  const writing = writingDeps(deps);
  const briefId = incidentBriefId(key);
  if (briefMissing) {
    const sent = await writeOnce(writing, {
      id: briefId,
      write: () => deps.writer.write(incidentWriteRequest('incident.brief', state)),
      // A P1 brief goes ahead of everything else waiting for the channel.
      send: (document) =>
        deps.outbox.send({
          id: briefId,
          kind: 'incident.brief',
          channel: deps.channel,
          ...renderDocument(document, incidentStatusLine(state)),
          document,
          order,
          ...(state.priority === 'P1' ? { urgency: 'immediate' as const } : {}),
        }),
    });
    if (sent.document) await deps.store.saveBrief(key, { documentId: briefId, document: sent.document });
  }

  // `triggered` is what the brief itself reports; so is every event before the incident deserved a brief.
  if (event && event.type !== 'incident.triggered' && (before ? deservesBrief(before, config) : true)) {
    const replyId = incidentReplyId(key, event.id);
    const kind = event.type === 'incident.resolved' ? 'incident.closing' : 'incident.update';
    await writeOnce(writing, {
      id: replyId,
      write: () => deps.writer.write(incidentWriteRequest(kind, state, event)),
      send: (document) =>
        deps.outbox.send({
          id: replyId,
          kind,
          channel: deps.channel,
          parentId: briefId,
          // Replies follow the events' order in the thread, however the workers interleave.
          threadPosition: new Date(event.occurredAt).toISOString(),
          ...renderDocument(document, kind === 'incident.closing' ? incidentStatusLine(state) : undefined),
          document,
        }),
    });
  }

  // The brief's wording stays as first written; only its status line follows the state, read
  // now so that events recorded while the brief was being written (by workers that lost its
  // claim) show too. `order` (events folded) keeps an older state from overwriting a newer one;
  // content equal to what is recorded changes nothing.
  const current = await deps.store.loadIncident(key);
  if (!current.brief) return;
  const latest = foldIncident(current.timeline.map((item) => item.event));
  await deps.outbox.revise(briefId, {
    ...renderDocument(briefAsOf(current.brief.document, latest), incidentStatusLine(latest)),
    order: current.timeline.length,
  });
}

/** The incident as it was before `event` (by occurrence), or as `event` alone shows it when nothing came before. */
function earlierState(events: readonly CanonicalEvent[], event: CanonicalEvent): IncidentState | undefined {
  const at = Date.parse(event.occurredAt);
  const earlier = events.filter((e) => e.id !== event.id && (Date.parse(e.occurredAt) < at || (Date.parse(e.occurredAt) === at && e.id < event.id)));
  return earlier.length > 0 ? foldIncident(earlier) : undefined;
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
