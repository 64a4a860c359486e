import type { CanonicalEvent } from '../core/canonical-event';
import type { DocumentKind, WriteRequest, WrittenDocument } from '../ports/writer';
import { elapsedMs, formatDuration, formatInstant } from './durations';
import type { IncidentState } from './incident-state';

/**
 * Builds what the writer may use for an incident document. Durations and instants are
 * computed and formatted here, in code, so no writer ever does arithmetic.
 */
export function incidentWriteRequest(kind: DocumentKind, state: IncidentState, event?: CanonicalEvent): WriteRequest {
  const tta = elapsedMs(state.triggeredAt, state.acknowledgedAt);
  const ttr = elapsedMs(state.triggeredAt, state.resolvedAt);
  const facts: WriteRequest['facts'] = {
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
  const untrusted: Record<string, string> = { title: state.title };
  if (event) {
    facts.change = event.type;
    facts.changedAt = formatInstant(event.occurredAt);
    facts.changedBy = event.actors.find((actor) => actor.role === 'agent')?.name ?? null;
    if (typeof event.facts.note === 'string') untrusted.note = event.facts.note;
    if (typeof event.facts.statusUpdate === 'string') untrusted.statusUpdate = event.facts.statusUpdate;
  }
  return { kind, facts, untrusted, links: state.links };
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

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
