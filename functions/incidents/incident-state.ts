import type { CanonicalEvent, Link } from '../core/canonical-event';

export type IncidentStatus = 'triggered' | 'acknowledged' | 'resolved';

/** What is known about an incident, derived from its whole timeline. */
export interface IncidentState {
  id: string;
  key?: string;
  title: string;
  url?: string;
  status: IncidentStatus;
  priority?: string;
  urgency?: string;
  service?: string;
  assignees: string[];
  escalationPolicy?: string;
  teams: string[];
  triggeredAt?: string;
  acknowledgedAt?: string;
  acknowledgedBy?: string;
  resolvedAt?: string;
  resolvedBy?: string;
  links: Link[];
  /**
   * Every priority the incident has had, in order, with when it took effect (the first at the
   * event that first carried it). What "time spent at P1" is measured from.
   */
  priorityHistory?: PriorityChange[];
}

export interface PriorityChange {
  priority: string;
  /** ISO instant from which the incident had this priority. */
  at: string;
}

/**
 * Folds a timeline into the incident's state. The timeline may have arrived in any order
 * and with duplicates; sorting by occurrence and de-duplicating by id first makes the result
 * depend only on the set of events, so late or repeated deliveries cannot corrupt it.
 * Events that carry the full incident (all but notes and status updates) refresh its
 * fields; `resolved` is terminal.
 */
export function foldIncident(events: readonly CanonicalEvent[]): IncidentState {
  const ordered = [...new Map(events.map((e) => [e.id, e])).values()].sort(
    (a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || a.id.localeCompare(b.id),
  );
  const first = ordered[0];
  if (!first) throw new Error('Cannot fold an empty incident timeline');
  const priorityHistory: PriorityChange[] = [];
  const state: IncidentState = {
    id: first.subject.id,
    title: first.subject.title,
    status: 'triggered',
    assignees: [],
    teams: [],
    links: [],
    priorityHistory,
  };
  for (const event of ordered) {
    const carriesIncident = typeof event.facts.status === 'string' || event.type === 'incident.triggered';
    if (carriesIncident) {
      state.title = event.subject.title;
      state.key = event.subject.key ?? state.key;
      state.url = event.subject.url ?? state.url;
      if (event.priority && event.priority !== state.priority) priorityHistory.push({ priority: event.priority, at: event.occurredAt });
      state.priority = event.priority ?? state.priority;
      state.urgency = text(event.facts.urgency) ?? state.urgency;
      state.service = text(event.facts.service) ?? state.service;
      state.escalationPolicy = text(event.facts.escalationPolicy) ?? state.escalationPolicy;
      state.assignees = list(event.facts.assignees) ?? state.assignees;
      state.teams = list(event.facts.teams) ?? state.teams;
      state.triggeredAt = state.triggeredAt ?? text(event.facts.createdAt);
      state.links = mergeLinks(state.links, event.links);
      const status = text(event.facts.status);
      if (state.status !== 'resolved' && (status === 'triggered' || status === 'acknowledged')) state.status = status;
    } else {
      state.url = state.url ?? event.subject.url;
      state.links = mergeLinks(state.links, event.links);
    }
    if (event.type === 'incident.triggered') state.triggeredAt = state.triggeredAt ?? event.occurredAt;
    if (event.type === 'incident.acknowledged' && !state.acknowledgedAt) {
      state.acknowledgedAt = event.occurredAt;
      state.acknowledgedBy = agentOf(event);
      if (state.status !== 'resolved') state.status = 'acknowledged';
    }
    if (event.type === 'incident.resolved' && !state.resolvedAt) {
      state.resolvedAt = event.occurredAt;
      state.resolvedBy = agentOf(event);
      state.status = 'resolved';
    }
  }
  return state;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function list(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.length > 0 ? value.filter((v): v is string => typeof v === 'string') : undefined;
}

function agentOf(event: CanonicalEvent): string | undefined {
  return event.actors.find((actor) => actor.role === 'agent')?.name;
}

function mergeLinks(existing: Link[], added: Link[]): Link[] {
  const byUrl = new Map(existing.map((link) => [link.url, link]));
  for (const link of added) if (!byUrl.has(link.url)) byUrl.set(link.url, link);
  return [...byUrl.values()];
}
