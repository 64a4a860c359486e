import type { Actor, CanonicalEvent, FactValue, Link } from '../../core/canonical-event';
import { safeHttpUrl } from '../../core/safe-url';
import { parseOrExplain } from '../schema-error';
import type { Normalized } from '../types';
import {
  type PagerDutyEnvelope,
  type PagerDutyIncident,
  type PagerDutyIncidentChild,
  pagerDutyEnvelopeSchema,
  pagerDutyIncidentChildSchema,
  pagerDutyIncidentSchema,
} from './schema';

/** PagerDuty event types that become canonical incident events (same name on both sides). */
export const handledPagerDutyEventTypes = [
  'incident.triggered',
  'incident.acknowledged',
  'incident.escalated',
  'incident.reassigned',
  'incident.priority_updated',
  'incident.annotated',
  'incident.status_update_published',
  'incident.resolved',
] as const;

const handled = new Set<string>(handledPagerDutyEventTypes);

/** Maps a PagerDuty V3 delivery to canonical events; other event types are ignored with a reason. */
export function normalizePagerDutyEvent(payload: unknown, deliveryId: string): Normalized {
  const envelope = parseOrExplain(pagerDutyEnvelopeSchema, payload, '');
  const { event } = envelope;
  if (!handled.has(event.event_type)) {
    return { ignored: true, reason: `PagerDuty event type ${event.event_type} is not used by this service` };
  }
  const base = baseEvent(envelope, deliveryId);
  if (event.event_type === 'incident.annotated' || event.event_type === 'incident.status_update_published') {
    const child = parseOrExplain(pagerDutyIncidentChildSchema, event.data, 'event.data');
    return { ignored: false, events: [withChild(base, child)] };
  }
  const incident = parseOrExplain(pagerDutyIncidentSchema, event.data, 'event.data');
  return { ignored: false, events: [withIncident(base, incident)] };
}

type Base = Omit<CanonicalEvent, 'subject'> & { agent?: Actor };

function baseEvent({ event }: PagerDutyEnvelope, deliveryId: string): Base {
  const agent = event.agent?.summary ? { role: 'agent', name: event.agent.summary, id: event.agent.id } : undefined;
  return {
    id: event.id,
    source: 'pagerduty',
    type: event.event_type,
    occurredAt: event.occurred_at,
    deliveryId,
    actors: agent ? [agent] : [],
    links: [],
    facts: {},
    agent,
  };
}

function withIncident({ agent: _agent, ...base }: Base, incident: PagerDutyIncident): CanonicalEvent {
  const key = incident.number != null ? `#${incident.number}` : undefined;
  const assignees = (incident.assignees ?? []).flatMap((ref) => (ref.summary ? [ref.summary] : []));
  // PagerDuty user ids beside the names, in the same order: who was paged, counted without naming them.
  const assigneeIds = (incident.assignees ?? []).flatMap((ref) => (ref.summary ? [ref.id ?? ref.summary] : []));
  const teams = (incident.teams ?? []).flatMap((ref) => (ref.summary ? [ref.summary] : []));
  const links: Link[] = [];
  addLink(links, `PagerDuty incident ${key ?? incident.id}`, incident.html_url);
  addLink(links, 'Conference bridge', incident.conference_bridge?.conference_url);
  const facts: Record<string, FactValue> = {
    status: incident.status ?? null,
    urgency: incident.urgency ?? null,
    service: incident.service?.summary ?? null,
    serviceId: incident.service?.id ?? null,
    escalationPolicy: incident.escalation_policy?.summary ?? null,
    assignees,
    assigneeIds,
    teams,
    createdAt: incident.created_at ?? null,
    incidentNumber: incident.number ?? null,
  };
  return {
    ...base,
    subject: {
      kind: 'incident',
      id: incident.id,
      key,
      title: incident.title ?? `PagerDuty incident ${incident.id}`,
      url: safeHttpUrl(incident.html_url),
    },
    priority: incident.priority?.summary,
    actors: [...base.actors, ...assignees.map((name) => ({ role: 'assignee', name }))],
    links,
    facts,
  };
}

function withChild({ agent: _agent, ...base }: Base, child: PagerDutyIncidentChild): CanonicalEvent {
  const text = child.type === 'incident_note' ? child.content : child.message;
  const links: Link[] = [];
  addLink(links, 'PagerDuty incident', child.incident.html_url);
  return {
    ...base,
    subject: {
      kind: 'incident',
      id: child.incident.id,
      title: child.incident.summary ?? `PagerDuty incident ${child.incident.id}`,
      url: safeHttpUrl(child.incident.html_url),
    },
    links,
    facts: {
      [child.type === 'incident_note' ? 'note' : 'statusUpdate']: text ?? null,
      textTrimmed: child.trimmed ?? false,
    },
  };
}

function addLink(links: Link[], label: string, value: string | null | undefined): void {
  const url = safeHttpUrl(value);
  if (url) links.push({ label, url });
}
