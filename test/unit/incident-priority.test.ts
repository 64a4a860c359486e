import { describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../../functions/core/canonical-event';
import { briefAsOf, incidentWriteRequest } from '../../functions/incidents/incident-documents';
import { foldIncident } from '../../functions/incidents/incident-state';
import { normalizePagerDutyEvent } from '../../functions/sources/pagerduty/normalize';
import { TemplateWriter } from '../../functions/writer/template-writer';
import { pagerDutyIncidentScenario } from '../../local/scenarios/pagerduty-incident';

const start = new Date('2026-11-24T08:00:00.000Z');
const lifecycle: CanonicalEvent[] = pagerDutyIncidentScenario({ incidentId: 'QPRIO', start }).flatMap((delivery) => {
  const result = normalizePagerDutyEvent(JSON.parse(delivery.body), delivery.deliveryId);
  return result.ignored ? [] : result.events;
});

describe('priority history', () => {
  it('records each priority with the instant it took effect, whatever the delivery order', () => {
    const expected = [
      { priority: 'P1', at: '2026-11-24T08:00:00.000Z' },
      { priority: 'P2', at: '2026-11-24T08:20:00.000Z' },
    ];
    expect(foldIncident(lifecycle).priorityHistory).toEqual(expected);
    expect(foldIncident([...lifecycle].reverse()).priorityHistory).toEqual(expected);
  });

  it('records a raise back to P1, and the P2 the resolution then carries, as further changes', () => {
    const lowered = lifecycle.find((e) => e.type === 'incident.priority_updated') as CanonicalEvent;
    const raised = { ...lowered, id: 'raised', occurredAt: '2026-11-24T08:25:00.000Z', priority: 'P1' };
    expect(foldIncident([...lifecycle, raised]).priorityHistory?.map((change) => change.priority)).toEqual(['P1', 'P2', 'P1', 'P2']);
  });
});

describe('briefAsOf', () => {
  const triggeredOnly = lifecycle.filter((e) => e.type === 'incident.triggered');

  it('restates a priority the incident no longer has, in the headline and the sections', async () => {
    const brief = await new TemplateWriter().write(incidentWriteRequest('incident.brief', foldIncident(triggeredOnly)));
    expect(brief.headline).toBe('P1 incident #4211: Checkout API error rate above 5% in us-east-1');
    const now = briefAsOf(brief, foldIncident(lifecycle));
    expect(now.headline).toBe('P2 (was P1) incident #4211: Checkout API error rate above 5% in us-east-1');
    expect(now.sections.find((s) => s.heading === 'Impact')?.body).toMatch(/^P2 \(was P1\), high urgency/);
    // The stored document is not changed: the next render starts from the original wording again.
    expect(brief.headline).toMatch(/^P1 incident/);
  });

  it('leaves a brief alone while its priority still holds, and never touches longer tokens such as P10', async () => {
    const brief = await new TemplateWriter().write(incidentWriteRequest('incident.brief', foldIncident(triggeredOnly)));
    expect(briefAsOf(brief, foldIncident(triggeredOnly))).toEqual(brief);
    const state = { ...foldIncident(lifecycle) };
    const other = { ...brief, headline: 'P10 queue lag and P1 checkout' };
    expect(briefAsOf(other, state).headline).toBe('P10 queue lag and P2 (was P1) checkout');
  });

  it('says in the next step that a resolved incident is resolved, whoever wrote the brief; a model brief keeps its own until then', async () => {
    const brief = await new TemplateWriter().write(incidentWriteRequest('incident.brief', foldIncident(triggeredOnly)));
    const nextStep = (document: typeof brief) => document.sections.find((s) => s.heading === 'Next step')?.body;
    expect(nextStep(brief)).toMatch(/^Waiting for the on-call responder/);
    expect(nextStep(briefAsOf(brief, foldIncident(lifecycle)))).toBe(
      'Resolved by Marco Diaz at 08:34 UTC, 24 Nov 2026, 34 min after it was raised. The closing brief is in this thread; nothing is needed from leadership.',
    );
    const modelBrief = { ...brief, writer: 'claude:claude-sonnet-5-5' };
    const acknowledged = foldIncident(lifecycle.filter((e) => e.type !== 'incident.resolved'));
    expect(nextStep(briefAsOf(modelBrief, acknowledged))).toBe(nextStep(brief));
    expect(nextStep(briefAsOf(modelBrief, foldIncident(lifecycle)))).toMatch(/^Resolved by Marco Diaz/);
  });
});
