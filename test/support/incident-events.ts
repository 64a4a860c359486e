import type { CanonicalEvent } from '../../functions/core/canonical-event';

export interface IncidentEventOptions {
  incidentId?: string;
  priority?: string;
  status?: string;
  assignees?: string[];
  /** Event id; defaults to type and minute, unique per incident. */
  id?: string;
}

/**
 * A canonical PagerDuty incident event `minutes` after `start`, shaped as the PagerDuty
 * normaliser emits it (full incident facts, priority from the incident).
 */
export function incidentEventAt(start: Date, type: string, minutes: number, options: IncidentEventOptions = {}): CanonicalEvent {
  const incidentId = options.incidentId ?? 'QESC1';
  const occurredAt = new Date(start.getTime() + minutes * 60_000).toISOString();
  const status = options.status ?? (type === 'incident.resolved' ? 'resolved' : type === 'incident.acknowledged' ? 'acknowledged' : 'triggered');
  return {
    id: options.id ?? `${incidentId}-${type}-${minutes}`,
    source: 'pagerduty',
    type,
    occurredAt,
    deliveryId: `delivery-${incidentId}-${type}-${minutes}`,
    subject: {
      kind: 'incident',
      id: incidentId,
      key: '#4211',
      title: 'Checkout API error rate above 5%',
      url: `https://acme.pagerduty.com/incidents/${incidentId}`,
    },
    priority: options.priority,
    actors: type === 'incident.acknowledged' ? [{ role: 'agent', name: 'Priya Raman' }] : [],
    links: [{ label: 'PagerDuty incident #4211', url: `https://acme.pagerduty.com/incidents/${incidentId}` }],
    facts: {
      status,
      urgency: 'high',
      service: 'Checkout API',
      escalationPolicy: 'Payments On-Call',
      assignees: options.assignees ?? ['Priya Raman'],
      teams: ['Payments'],
      createdAt: start.toISOString(),
    },
  };
}

/** PagerDuty's burst: eight lifecycle events of one incident, sent within a second. */
export const PAGERDUTY_BURST = [
  'incident.triggered',
  'incident.escalated',
  'incident.acknowledged',
  'incident.annotated',
  'incident.priority_updated',
  'incident.reassigned',
  'incident.status_update_published',
  'incident.resolved',
] as const;
