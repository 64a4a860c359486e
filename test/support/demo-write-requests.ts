import { DEFAULT_ATTENTION } from '../../functions/incidents/attention-config';
import { rollupMember, rollupWriteRequest } from '../../functions/incidents/rollup';
import { DEFAULT_TRIGGERS, loadApprovalConfig } from '../../functions/approvals/approval-config';
import { approvalEscalationRequest } from '../../functions/approvals/approval-escalation-request';
import { newApproval } from '../../functions/approvals/approval';
import type { CanonicalEvent } from '../../functions/core/canonical-event';
import { formatInstant } from '../../functions/core/durations';
import type { DocumentKind } from '../../functions/documents/registry';
import { incidentEscalationRequest } from '../../functions/escalations/escalation-documents';
import { loadEscalationConfig } from '../../functions/escalations/escalation-config';
import { unacknowledgedRule } from '../../functions/escalations/rules';
import { incidentWriteRequest } from '../../functions/incidents/incident-documents';
import { foldIncident } from '../../functions/incidents/incident-state';
import type { WriteRequest } from '../../functions/ports/writer';
import { normalizeJiraEvent } from '../../functions/sources/jira/normalize';
import { normalizePagerDutyEvent } from '../../functions/sources/pagerduty/normalize';
import { eventWriteRequest } from '../../functions/writer/event-request';
import { deliveryAndHiringScenario } from '../../local/scenarios/delivery-and-hiring';
import { pagerDutyIncidentScenario } from '../../local/scenarios/pagerduty-incident';
import { answerDemoRequests } from './answer-demo-requests';
import { weeklyDemoRequest } from './weekly-demo-request';

/** The demo's moment, fixed so the documents built from it are the same on every run. */
export const DEMO_NOW = new Date('2026-11-24T15:00:00Z');

function demoIncidentEvents(): CanonicalEvent[] {
  const deliveries = pagerDutyIncidentScenario({ incidentId: 'Q1DEMO4211', number: 4211, start: new Date('2026-11-24T14:05:00Z') });
  return deliveries.flatMap((delivery) => {
    const normalized = normalizePagerDutyEvent(JSON.parse(delivery.body), delivery.deliveryId);
    return normalized.ignored ? [] : normalized.events;
  });
}

function demoJiraEvent(): CanonicalEvent {
  const [jira] = deliveryAndHiringScenario(DEMO_NOW);
  const normalized = normalizeJiraEvent(JSON.parse(jira?.body ?? '{}'), 'demo-jira');
  const event = normalized.ignored ? undefined : normalized.events[0];
  if (!event) throw new Error('the demo Jira delivery did not normalise to an event');
  return event;
}

/**
 * Write requests for every document kind, built the way the workers build them from the
 * events `npm run demo` sends (the P1 checkout incident, the FIN-88 budget request). Kinds
 * whose facts come from many events (the digest) use figures in the shape their code writes.
 */
export function demoWriteRequests(): Partial<Record<DocumentKind, WriteRequest[]>> {
  const events = demoIncidentEvents();
  const upTo = (type: string) => events.slice(0, events.findIndex((event) => event.type === type) + 1);
  const triggered = foldIncident(upTo('incident.triggered'));
  const acknowledged = upTo('incident.acknowledged');
  const annotated = upTo('incident.annotated');
  const resolved = foldIncident(events);
  const last = (list: CanonicalEvent[]) => list[list.length - 1];

  const jira = demoJiraEvent();
  const approvalConfig = loadApprovalConfig({ SLACK_APPROVER_IDS: 'U0LOCALVP' });
  const trigger = DEFAULT_TRIGGERS[0];
  if (!trigger) throw new Error('no default approval trigger');
  const approval = newApproval(jira, trigger, approvalConfig, DEMO_NOW);
  const condition = unacknowledgedRule(triggered, loadEscalationConfig({}));
  if (!condition) throw new Error('the demo incident should be due for an unacknowledged escalation');

  return {
    'incident.brief': [incidentWriteRequest('incident.brief', triggered)],
    'incident.update': [
      incidentWriteRequest('incident.update', foldIncident(acknowledged), last(acknowledged)),
      incidentWriteRequest('incident.update', foldIncident(annotated), last(annotated)),
    ],
    'incident.closing': [incidentWriteRequest('incident.closing', resolved, last(events))],
    escalation: [
      incidentEscalationRequest(triggered, condition, new Date('2026-11-24T14:16:00Z')),
      approvalEscalationRequest({ ...approval, status: 'expired' }),
    ],
    'approval.request': [
      eventWriteRequest('approval.request', jira, { approvalKind: approval.kind, requester: approval.requester, deadline: formatInstant(approval.deadline) }),
    ],
    'incident.rollup': [
      rollupWriteRequest({ id: 'incident:rollup:1', startedAt: '2026-11-24T14:05:00.000Z' }, [rollupMember('pagerduty#DEMO', triggered, 1)], DEFAULT_ATTENTION),
    ],
    digest: [
      {
        kind: 'digest',
        facts: {
          period: 'Mon 23 Nov 09:00 – Tue 24 Nov 09:00 (America/New_York)',
          quiet: false,
          incidents: ['1 incident raised (1 P1); 0 still open', 'Time to acknowledge 7 min; time to resolve 34 min'],
          availability: ['Checkout API: 99.92% this month against a 99.99% objective'],
          delivery: ['Deployments: 14 to production this week (12 last week)'],
          approvals: ['1 waiting: FIN-88, 3 h old'],
          hiring: ['1 offer made; 1 hire'],
          wins: ['Marco Diaz resolved #4211 in 34 min'],
          budgetNote: null,
        },
        untrusted: {},
        links: [],
      },
    ],
    weekly: [weeklyDemoRequest()],
    answer: answerDemoRequests(),
  };
}
