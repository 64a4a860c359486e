import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../../functions/core/canonical-event';
import { elapsedMs, formatDuration, formatInstant } from '../../functions/core/durations';
import { incidentWriteRequest } from '../../functions/incidents/incident-documents';
import { foldIncident } from '../../functions/incidents/incident-state';
import { normalizePagerDutyEvent } from '../../functions/sources/pagerduty/normalize';
import { pagerDutyIncidentScenario } from '../../local/scenarios/pagerduty-incident';

const start = new Date('2026-11-24T08:00:00.000Z');
const lifecycle: CanonicalEvent[] = pagerDutyIncidentScenario({ incidentId: 'QTEST', start }).flatMap((delivery) => {
  const result = normalizePagerDutyEvent(JSON.parse(delivery.body), delivery.deliveryId);
  return result.ignored ? [] : result.events;
});

describe('foldIncident', () => {
  it('derives status, owner, priority and the key instants from the whole lifecycle', () => {
    const state = foldIncident(lifecycle);
    expect(state).toMatchObject({
      id: 'QTEST',
      key: '#4211',
      status: 'resolved',
      priority: 'P2',
      service: 'Checkout API',
      assignees: ['Marco Diaz'],
      triggeredAt: '2026-11-24T08:00:00.000Z',
      acknowledgedAt: '2026-11-24T08:07:00.000Z',
      acknowledgedBy: 'Marco Diaz',
      resolvedAt: '2026-11-24T08:34:00.000Z',
    });
  });

  it('gives the same state for any delivery order and any duplicates', () => {
    const expected = foldIncident(lifecycle);
    fc.assert(
      fc.property(
        fc.shuffledSubarray(lifecycle, { minLength: lifecycle.length }),
        fc.array(fc.nat(lifecycle.length - 1), { maxLength: 5 }),
        (shuffled, dupes) => {
          const withDuplicates = [...shuffled, ...dupes.map((i) => lifecycle[i] as CanonicalEvent)];
          expect(foldIncident(withDuplicates)).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('keeps resolved terminal when an acknowledgement arrives late', () => {
    const resolved = lifecycle.find((e) => e.type === 'incident.resolved') as CanonicalEvent;
    const acknowledged = lifecycle.find((e) => e.type === 'incident.acknowledged') as CanonicalEvent;
    expect(foldIncident([resolved, acknowledged]).status).toBe('resolved');
  });

  it('computes time to acknowledge and resolve in code for the closing brief', () => {
    const request = incidentWriteRequest('incident.closing', foldIncident(lifecycle));
    expect(request.facts).toMatchObject({ timeToAcknowledge: '7 min', timeToResolve: '34 min', triggeredAt: '08:00 UTC, 24 Nov 2026' });
  });

  it('reports no time to acknowledge when the incident was never acknowledged', () => {
    const noAck = lifecycle.filter((e) => e.type === 'incident.triggered' || e.type === 'incident.resolved');
    expect(incidentWriteRequest('incident.closing', foldIncident(noAck)).facts.timeToAcknowledge).toBeNull();
  });
});

describe('durations', () => {
  it('formats durations the way an executive reads them', () => {
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(4 * 60_000 + 12_000)).toBe('4 min 12 s');
    expect(formatDuration(34 * 60_000)).toBe('34 min');
    expect(formatDuration(65 * 60_000)).toBe('1 h 05 min');
    expect(formatDuration(51 * 3_600_000)).toBe('2 d 3 h');
  });

  it('refuses negative or missing spans instead of inventing one', () => {
    expect(elapsedMs('2026-11-24T08:10:00Z', '2026-11-24T08:00:00Z')).toBeUndefined();
    expect(elapsedMs(undefined, '2026-11-24T08:00:00Z')).toBeUndefined();
    expect(elapsedMs('2026-11-24T08:00:00Z', '2026-11-24T09:00:00+01:00')).toBe(0);
  });

  it('prints instants in UTC', () => {
    expect(formatInstant('2026-11-24T23:30:00-05:00')).toBe('04:30 UTC, 25 Nov 2026');
  });
});
