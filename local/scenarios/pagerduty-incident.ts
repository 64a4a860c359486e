import { randomUUID } from 'node:crypto';
import type { ScenarioDelivery } from './signers';

export type { ScenarioDelivery };

export interface IncidentScenarioOptions {
  incidentId?: string;
  number?: number;
  title?: string;
  /** When the incident was triggered; later events follow at realistic offsets. */
  start?: Date;
  /** Minutes after the trigger at which P1 is lowered to P2 (default 20); it is resolved 14 minutes later. */
  p1Minutes?: number;
}

const user = (id: string, name: string) => ({
  id,
  type: 'user_reference',
  summary: name,
  self: `https://api.pagerduty.com/users/${id}`,
  html_url: `https://acme.pagerduty.com/users/${id}`,
});

/**
 * A realistic P1 incident lifecycle in PagerDuty Webhooks V3 shape: triggered, escalated,
 * acknowledged, a note, a status update, priority lowered, resolved. Used by the demo, the
 * benchmark and the end-to-end test.
 */
export function pagerDutyIncidentScenario(options: IncidentScenarioOptions = {}): ScenarioDelivery[] {
  const incidentId = options.incidentId ?? `Q${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`;
  const number = options.number ?? 4211;
  const title = options.title ?? 'Checkout API error rate above 5% in us-east-1';
  const start = options.start ?? new Date(Date.now() - 60 * 60_000);
  const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000).toISOString();
  const lowered = Math.max(16, options.p1Minutes ?? 20);
  const priya = user('PU1PRIYA', 'Priya Raman');
  const marco = user('PU2MARCO', 'Marco Diaz');
  const incident = (status: string, assignee: ReturnType<typeof user>, priority: string) => ({
    id: incidentId,
    type: 'incident',
    self: `https://api.pagerduty.com/incidents/${incidentId}`,
    html_url: `https://acme.pagerduty.com/incidents/${incidentId}`,
    number,
    status,
    incident_key: `checkout-5xx-${incidentId.toLowerCase()}`,
    created_at: at(0),
    title,
    service: {
      id: 'PSVCCHK',
      type: 'service_reference',
      summary: 'Checkout API',
      self: 'https://api.pagerduty.com/services/PSVCCHK',
      html_url: 'https://acme.pagerduty.com/services/PSVCCHK',
    },
    assignees: [assignee],
    escalation_policy: { id: 'PEPPAY', type: 'escalation_policy_reference', summary: 'Payments On-Call' },
    teams: [{ id: 'PTPAY', type: 'team_reference', summary: 'Payments' }],
    priority: { id: `PRI${priority}`, type: 'priority_reference', summary: priority },
    urgency: 'high',
    conference_bridge: { conference_number: null, conference_url: 'https://meet.example.com/inc-4211' },
    resolve_reason: null,
  });
  const reference = { id: incidentId, type: 'incident_reference', summary: title, html_url: `https://acme.pagerduty.com/incidents/${incidentId}` };
  const events: [string, string, unknown, ReturnType<typeof user> | null][] = [
    ['incident.triggered', at(0), incident('triggered', priya, 'P1'), null],
    ['incident.escalated', at(5), incident('triggered', marco, 'P1'), null],
    ['incident.acknowledged', at(7), incident('acknowledged', marco, 'P1'), marco],
    [
      'incident.annotated',
      at(12),
      {
        id: 'PNOTE1',
        type: 'incident_note',
        incident: reference,
        content: 'Rolled back deploy 2026.11.24-3 of checkout-api; error rate falling.',
        trimmed: false,
      },
      marco,
    ],
    [
      'incident.status_update_published',
      at(15),
      {
        id: 'PSU1',
        type: 'incident_status_update',
        incident: reference,
        message: 'Checkout is recovering after a rollback. Some customers saw failed payments for about 15 minutes.',
        trimmed: false,
      },
      marco,
    ],
    ['incident.priority_updated', at(lowered), incident('acknowledged', marco, 'P2'), marco],
    ['incident.resolved', at(lowered + 14), incident('resolved', marco, 'P2'), marco],
  ];
  return events.map(([type, occurredAt, data, agent], index) => ({
    source: 'pagerduty',
    deliveryId: `${incidentId}-delivery-${index + 1}`,
    body: JSON.stringify({
      event: {
        id: `${incidentId}-event-${index + 1}`,
        event_type: type,
        resource_type: 'incident',
        occurred_at: occurredAt,
        agent,
        client: agent ? null : { name: 'Datadog' },
        data,
      },
    }),
  }));
}
