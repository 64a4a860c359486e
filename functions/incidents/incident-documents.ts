import type { CanonicalEvent } from '../core/canonical-event';
import { nextStep } from '../documents/incident-brief';
import type { IncidentFacts } from '../documents/incident-facts';
import type { FactsOf } from '../documents/registry';
import type { WriteRequestOf, WrittenDocument } from '../ports/writer';
import { elapsedMs, formatDuration, formatInstant } from '../core/durations';
import type { IncidentState } from './incident-state';

type IncidentKind = 'incident.brief' | 'incident.update' | 'incident.closing';

/**
 * What every document about an incident may say about it. Durations and instants are computed
 * and formatted here, in code, so no writer ever does arithmetic.
 */
export function incidentFacts(state: IncidentState): IncidentFacts {
  const tta = elapsedMs(state.triggeredAt, state.acknowledgedAt);
  const ttr = elapsedMs(state.triggeredAt, state.resolvedAt);
  return {
    incident: state.key ?? state.id,
    status: state.status,
    priority: state.priority ?? null,
    urgency: state.urgency ?? null,
    service: state.service ?? null,
    assignees: state.assignees,
    escalationPolicy: state.escalationPolicy ?? null,
    teams: state.teams,
    triggeredAt: state.triggeredAt ? formatInstant(state.triggeredAt) : null,
    acknowledgedAt: state.acknowledgedAt ? formatInstant(state.acknowledgedAt) : null,
    acknowledgedBy: state.acknowledgedBy ?? null,
    resolvedAt: state.resolvedAt ? formatInstant(state.resolvedAt) : null,
    resolvedBy: state.resolvedBy ?? null,
    timeToAcknowledge: tta === undefined ? null : formatDuration(tta),
    timeToResolve: ttr === undefined ? null : formatDuration(ttr),
  };
}

/** The write request for an incident's brief, a thread update (about `event`) or its closing brief. */
export function incidentWriteRequest<K extends IncidentKind>(kind: K, state: IncidentState, event?: CanonicalEvent): WriteRequestOf<K> {
  const facts: FactsOf<'incident.update'> = incidentFacts(state);
  const untrusted: Record<string, string> = { title: state.title };
  if (event && kind !== 'incident.brief') {
    facts.change = event.type;
    facts.changedAt = formatInstant(event.occurredAt);
    facts.changedBy = event.actors.find((actor) => actor.role === 'agent')?.name ?? null;
    if (typeof event.facts.note === 'string') untrusted.note = event.facts.note;
    if (typeof event.facts.statusUpdate === 'string') untrusted.statusUpdate = event.facts.statusUpdate;
  }
  // Brief facts are a subset of the update's: one shape serves all three kinds.
  return { kind, facts: facts as FactsOf<K>, untrusted, links: state.links };
}

const STATUS_LABEL: Record<IncidentState['status'], string> = {
  triggered: '🔴 Triggered',
  acknowledged: '🟠 Acknowledged',
  resolved: '✅ Resolved',
};

/** One line under the brief's header that always shows where the incident stands now. */
export function incidentStatusLine(state: IncidentState): string {
  const parts = [STATUS_LABEL[state.status]];
  if (state.priority) parts.push(state.priority);
  if (state.service) parts.push(state.service);
  if (state.assignees.length > 0) parts.push(`Owner: ${state.assignees.join(', ')}`);
  const ttr = elapsedMs(state.triggeredAt, state.resolvedAt);
  if (ttr !== undefined) parts.push(`resolved in ${formatDuration(ttr)}`);
  return parts.join(' · ');
}

/**
 * The brief as it should read now. Its wording is kept as first written, but a priority it
 * names that the incident no longer has would contradict the status line under it (P1 in the
 * headline, P2 in the status), so each earlier priority named as a whole word becomes
 * "<current> (was <earlier>)". Works the same for template and model wording.
 */
export function briefAsOf(document: WrittenDocument, state: IncidentState): WrittenDocument {
  return withCurrentNextStep(withCurrentPriority(document, state), state);
}

function withCurrentPriority(document: WrittenDocument, state: IncidentState): WrittenDocument {
  const current = state.priority;
  if (!current) return document;
  const stale = [...new Set((state.priorityHistory ?? []).map((change) => change.priority))].filter((priority) => priority !== current);
  if (stale.length === 0) return document;
  const pattern = new RegExp(`(?<![\\w-])(${stale.map(escapeRegExp).join('|')})(?![\\w-])`, 'g');
  const restate = (text: string) => text.replace(pattern, (earlier: string) => `${current} (was ${earlier})`);
  return {
    ...document,
    headline: restate(document.headline),
    sections: document.sections.map((section) => ({ ...section, body: restate(section.body) })),
  };
}

/**
 * Once resolved, the brief's "Next step" says so (whoever wrote it first): a brief that still
 * asks for an acknowledgement above a closing brief reads as if nobody noticed. The template's
 * own next step also follows an acknowledgement, since it was written for the state before.
 */
function withCurrentNextStep(document: WrittenDocument, state: IncidentState): WrittenDocument {
  if (state.status === 'triggered' || (state.status === 'acknowledged' && document.writer !== 'template')) return document;
  const body = nextStep(incidentFacts(state));
  return {
    ...document,
    sections: document.sections.map((section) => (section.heading.trim().toLowerCase() === 'next step' ? { ...section, body } : section)),
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
