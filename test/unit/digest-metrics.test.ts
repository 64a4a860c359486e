import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { metricLines } from '../../functions/digest/metric-lines';
import {
  computeDigestMetrics,
  type DeploymentRecord,
  type DigestInput,
  type IncidentSummary,
  type IssueDone,
  median,
  percentileNearestRank,
  type StageMove,
} from '../../functions/digest/metrics';
import { DIGEST_NOW as NOW, DIGEST_PERIOD as PERIOD, DIGEST_PREVIOUS_PERIOD as PREVIOUS, emptyDigestInput as emptyInput } from '../support/digest-input';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

function incident(key: string, fields: Partial<IncidentSummary> & { triggeredAt: string }): IncidentSummary {
  return { id: `id-${key}`, key, title: `Incident ${key}`, priority: 'P3', service: 'Checkout API', customerFacing: false, responders: [], ...fields };
}

function issue(key: string, doneAt: string, firstInProgressAt?: string, assignee: string | null = null): IssueDone {
  return { key, title: `Issue ${key}`, project: 'PAY', issueType: 'Story', doneAt, ...(firstInProgressAt ? { firstInProgressAt } : {}), assignee };
}

function move(applicationId: string, type: string, fields: Partial<StageMove> = {}): StageMove {
  return { applicationId, job: 'Staff SRE', type, toStage: null, fromStage: null, at: '2026-11-24T10:00:00.000Z', ...fields };
}

/** Cycle time of an issue done at 2026-11-24T12:00Z that started `hours` earlier. */
function issueWithCycle(key: string, hours: number): IssueDone {
  const doneAt = Date.parse('2026-11-24T12:00:00.000Z');
  return issue(key, new Date(doneAt).toISOString(), new Date(doneAt - hours * HOUR).toISOString());
}

describe('incident metrics', () => {
  // A: P1, acknowledged after 4 min, resolved after 50 min.
  // B: P3, acknowledged after 8 min, resolved after 60 min.
  // C: P3, acknowledged after 6 min, still open.
  // D: P2 triggered and acknowledged in the previous period, resolved in this one after 26 h 30 min.
  // E: P1, acknowledged after 2 min, resolved after 40 min.
  const incidents = [
    incident('A', {
      priority: 'P1',
      triggeredAt: '2026-11-23T15:00:00.000Z',
      acknowledgedAt: '2026-11-23T15:04:00.000Z',
      resolvedAt: '2026-11-23T15:50:00.000Z',
      responders: ['Marco Diaz', 'Ana Ruiz'],
    }),
    incident('B', {
      priority: 'P3',
      triggeredAt: '2026-11-23T20:00:00.000Z',
      acknowledgedAt: '2026-11-23T20:08:00.000Z',
      resolvedAt: '2026-11-23T21:00:00.000Z',
    }),
    incident('C', { priority: 'P3', triggeredAt: '2026-11-24T10:00:00.000Z', acknowledgedAt: '2026-11-24T10:06:00.000Z' }),
    incident('D', {
      priority: 'P2',
      triggeredAt: '2026-11-22T12:00:00.000Z',
      acknowledgedAt: '2026-11-22T12:10:00.000Z',
      resolvedAt: '2026-11-23T14:30:00.000Z',
    }),
    incident('E', {
      priority: 'P1',
      triggeredAt: '2026-11-24T01:00:00.000Z',
      acknowledgedAt: '2026-11-24T01:02:00.000Z',
      resolvedAt: '2026-11-24T01:40:00.000Z',
    }),
  ];
  const metrics = computeDigestMetrics(emptyInput({ incidents }));

  it('counts incidents triggered in the period by priority, and those open now', () => {
    // Triggered in [Mon 14:00Z, Tue 14:00Z): A, B, C, E (D was triggered on Sunday).
    expect(metrics.incidents.triggered).toBe(4);
    expect(metrics.incidents.countByPriority).toEqual({ P1: 2, P3: 2 });
    expect(metrics.incidents.openNow).toBe(1);
    // C triggered at 10:00Z, now 14:00Z.
    expect(metrics.incidents.open).toEqual([{ key: 'C', title: 'Incident C', priority: 'P3', service: 'Checkout API', openForMs: 4 * HOUR }]);
  });

  it('MTTA is the mean over incidents acknowledged in the period', () => {
    // A 4, B 8, C 6, E 2 minutes (D was acknowledged in the previous period): (4+8+6+2)/4 = 5 min.
    expect(metrics.incidents.acknowledgedCount).toBe(4);
    expect(metrics.incidents.meanTimeToAcknowledgeMs).toBe(5 * MIN);
  });

  it('MTTR mean and median are over incidents resolved in the period', () => {
    // A 50 min, B 60 min, D 26 h 30 min = 1590 min, E 40 min.
    // Mean (50+60+1590+40)/4 = 1740/4 = 435 min = 7 h 15 min.
    // Sorted 40, 50, 60, 1590: median (50+60)/2 = 55 min.
    expect(metrics.incidents.resolvedCount).toBe(4);
    expect(metrics.incidents.meanTimeToResolveMs).toBe(435 * MIN);
    expect(metrics.incidents.medianTimeToResolveMs).toBe(55 * MIN);
  });

  it('writes the incident lines', () => {
    const lines = metricLines(metrics, emptyInput({ incidents }));
    expect(lines.incidents).toEqual([
      '4 incidents: 2 P1, 2 P3; 1 still open',
      'Still open: C Incident C (P3, Checkout API), open for 4 h 00 min',
      '2 lower-priority incidents (below P2, no brief), 1 still open; longest open: C Incident C (P3), 4 h 00 min',
      'Mean time to acknowledge 5 min; time to resolve mean 7 h 15 min, median 55 min',
    ]);
    // Wins: resolved in the period in resolution order (D 14:30Z, A 15:50Z, B 21:00Z, E 01:40Z), naming responders.
    expect(lines.wins).toEqual([
      'Resolved D Incident D',
      'Resolved A Incident A, thanks to Marco Diaz and Ana Ruiz',
      'Resolved B Incident B',
      'Resolved E Incident E',
    ]);
  });

  it('sums up the incidents below BRIEF_MIN_PRIORITY, which got no brief: how many, how many still open, the one open longest', () => {
    expect(metrics.incidents.lowerPriority).toEqual({ below: 'P2', triggered: 2, openNow: 1, longestOpen: metrics.incidents.open[0] });
    // With briefs from P3, only P4 and P5 are lower-priority.
    expect(computeDigestMetrics(emptyInput({ incidents, briefMinRank: 3 })).incidents.lowerPriority).toEqual({
      below: 'P3',
      triggered: 0,
      openNow: 0,
      longestOpen: null,
    });
  });

  it('names an incident without a priority unprioritised', () => {
    const m = computeDigestMetrics(
      emptyInput({ incidents: [incident('U', { priority: null, triggeredAt: '2026-11-24T09:00:00.000Z', resolvedAt: '2026-11-24T09:30:00.000Z' })] }),
    );
    expect(m.incidents.countByPriority).toEqual({ unprioritised: 1 });
  });
});

describe('availability', () => {
  // Month of now in New York: 1 Nov 2026 00:00 EDT (UTC−4) = 04:00Z → 1 Dec 00:00 EST (UTC−5) = 05:00Z.
  // The clocks go back on 1 Nov, so the month is 30 d + 1 h = 721 h = 2 595 600 000 ms.
  // Elapsed at now (24 Nov 14:00Z): 23 d 10 h = 562 h = 2 023 200 000 ms.
  const MONTH_START = '2026-11-01T04:00:00.000Z';
  const outage = (key: string, triggeredAt: string, resolvedAt?: string, fields: Partial<IncidentSummary> = {}): IncidentSummary =>
    incident(key, { priority: 'P1', customerFacing: true, triggeredAt, ...(resolvedAt ? { resolvedAt } : {}), ...fields });

  // X started in October (New York time) and ends at 05:00Z: only 04:00Z → 05:00Z counts = 60 min
  //   (a UTC month start would wrongly count 5 h).
  // Y 10:00Z → 10:30Z and Z 10:20Z → 10:45Z overlap: union 10:00Z → 10:45Z = 45 min (not 30 + 25 = 55).
  // W is a P1 on a service that is not customer-facing; V is a P2 on a customer-facing one: ignored.
  // O is still open since 13:40Z: it counts until now (14:00Z) = 20 min.
  // Downtime = 60 + 45 + 20 = 125 min = 7 500 000 ms.
  const incidents = [
    outage('X', '2026-10-31T23:00:00.000Z', '2026-11-01T05:00:00.000Z'),
    outage('Y', '2026-11-10T10:00:00.000Z', '2026-11-10T10:30:00.000Z'),
    outage('Z', '2026-11-10T10:20:00.000Z', '2026-11-10T10:45:00.000Z'),
    outage('W', '2026-11-12T00:00:00.000Z', '2026-11-12T12:00:00.000Z', { customerFacing: false }),
    outage('V', '2026-11-13T00:00:00.000Z', '2026-11-13T12:00:00.000Z', { priority: 'P2' }),
    outage('O', '2026-11-24T13:40:00.000Z'),
  ];
  const input = emptyInput({ incidents });
  const metrics = computeDigestMetrics(input);

  it('uses the calendar month in the configured time zone, in real elapsed time', () => {
    expect(metrics.availability.monthStart.toISOString()).toBe(MONTH_START);
    expect(metrics.availability.monthEnd.toISOString()).toBe('2026-12-01T05:00:00.000Z');
    expect(metrics.availability.monthMs).toBe(721 * HOUR);
    expect(metrics.availability.elapsedMs).toBe(562 * HOUR);
  });

  it('counts the union of customer-facing P1 downtime, clipped to the month and to now', () => {
    expect(metrics.availability.downtimeMs).toBe(125 * MIN);
    // 1 − 7 500 000 / 2 023 200 000
    expect(metrics.availability.availability).toBeCloseTo(1 - 7_500_000 / 2_023_200_000, 12);
  });

  it('sizes the error budget on the real month length (721 h in a DST month)', () => {
    // (1 − 0.9999) × 2 595 600 000 = 259 560 ms (4 min 19.56 s); 720 h would give 259 200.
    expect(metrics.availability.errorBudgetMs).toBe(259_560);
    expect(metrics.availability.budgetUsedMs).toBe(7_500_000);
    expect(metrics.availability.budgetLeftMs).toBe(259_560 - 7_500_000);
    expect(metrics.availability.budgetUsedRatio).toBeCloseTo(7_500_000 / 259_560, 12);
  });

  it('counts a still-open incident until now', () => {
    const m = computeDigestMetrics(emptyInput({ incidents: [outage('O', '2026-11-24T13:40:00.000Z')] }));
    expect(m.availability.downtimeMs).toBe(20 * MIN);
  });

  it('writes the availability line exactly', () => {
    // Availability: ⌊(2 023 200 000 − 7 500 000) × 100 000 / 2 023 200 000⌋ = ⌊99 629.30…⌋ → 99.629%.
    // Downtime 7 500 s = 2 h 05 min; budget 259.56 s rounds to 260 s = 4 min 20 s.
    // Used 7 500 000 / 259 560 = 28.895 05… → 2890%. Overspent by 7 240 440 ms = 7 240 s = 2 h 00 min.
    expect(metricLines(metrics, input).availability).toEqual([
      'Availability this month 99.629% against a 99.99% SLO: 2 h 05 min of downtime; error budget 4 min 20 s, used 2 h 05 min (2890%)',
      'Error budget overspent by 2 h 00 min',
      'Downtime is time customer-facing services spent at P1',
    ]);
  });

  it('says how much budget is left when it is not spent', () => {
    // Only the 20 min of O at a 99.9% target: budget 0.001 × 721 h = 2 595 600 ms = 43 min 15.6 s.
    // Left 2 595 600 − 1 200 000 = 1 395 600 ms = 1 396 s = 23 min. Used 1 200 000 / 2 595 600 = 46.2% → 46%.
    // Availability ⌊(2 023 200 000 − 1 200 000) × 100 000 / 2 023 200 000⌋ = ⌊99 940.68…⌋ → 99.940%.
    const quietInput = emptyInput({ incidents: [outage('O', '2026-11-24T13:40:00.000Z')], slo: { target: 0.999 } });
    expect(metricLines(computeDigestMetrics(quietInput), quietInput).availability).toEqual([
      'Availability this month 99.940% against a 99.9% SLO: 20 min of downtime; error budget 43 min, used 20 min (46%)',
      '23 min of error budget left this month',
      'Downtime is time customer-facing services spent at P1',
    ]);
  });

  // The issue's case: a P1 checkout outage lowered to P2 after 30 min, resolved after 50 min.
  const lowered = outage('L', '2026-11-24T10:00:00.000Z', '2026-11-24T10:50:00.000Z', {
    priority: 'P2',
    priorityHistory: [
      { priority: 'P1', at: '2026-11-24T10:00:05.000Z' },
      { priority: 'P2', at: '2026-11-24T10:30:00.000Z' },
    ],
  });

  it('counts the time an incident spent at P1, not its last priority', () => {
    // P1 from the trigger (10:00:00, the event carrying it arrived 5 s later) to the change at 10:30 = 30 min.
    expect(computeDigestMetrics(emptyInput({ incidents: [lowered] })).availability.downtimeMs).toBe(30 * MIN);
    // Raised to P1 at 10:20 and resolved at 10:50 (still P1): 30 min; the 20 min at P3 before it do not count.
    const raised = outage('R', '2026-11-24T10:00:00.000Z', '2026-11-24T10:50:00.000Z', {
      priorityHistory: [
        { priority: 'P3', at: '2026-11-24T10:00:00.000Z' },
        { priority: 'P1', at: '2026-11-24T10:20:00.000Z' },
      ],
    });
    expect(computeDigestMetrics(emptyInput({ incidents: [raised] })).availability.downtimeMs).toBe(30 * MIN);
  });

  it('never says full availability or no downtime after a P1, and says which services count', () => {
    const input = emptyInput({ incidents: [{ ...lowered, service: 'internal-tools' }], slo: { target: 0.9999, allServices: true } });
    const lines = metricLines(computeDigestMetrics(input), input).availability;
    // ⌊(2 023 200 000 − 1 800 000) × 100 000 / 2 023 200 000⌋ = ⌊99 911.03…⌋ → 99.911%.
    expect(lines[0]).toBe('Availability this month 99.911% against a 99.99% SLO: 30 min of downtime; error budget 4 min 20 s, used 30 min (693%)');
    expect(lines.at(-1)).toBe('Every service counts (set DIGEST_CUSTOMER_FACING_SERVICES to count only customer-facing ones); downtime is time spent at P1');
    expect(lines.join('\n')).not.toMatch(/100\.000%|no downtime|no time at P1/);
  });

  it('rounds down, so one second at P1 in the month is never shown as 100.000%', () => {
    const blip = outage('S', '2026-11-24T10:00:00.000Z', '2026-11-24T10:00:01.000Z');
    const input = emptyInput({ incidents: [blip] });
    expect(metricLines(computeDigestMetrics(input), input).availability[0]).toMatch(/^Availability this month 99\.999% /);
  });
});

describe('delivery metrics', () => {
  // Cycle times in hours: 5, 1, 30, 12, 48, 3, 100 → sorted 1, 3, 5, 12, 30, 48, 100 (n = 7).
  // Median: the 4th value = 12 h. 85th percentile by nearest rank: ⌈0.85 × 7⌉ = ⌈5.95⌉ = 6th value = 48 h.
  // One issue has no firstInProgressAt: done, but not in the cycle-time sample. One was done last week: ignored.
  const issuesDone = [
    ...[5, 1, 30, 12, 48, 3, 100].map((hours, i) => issueWithCycle(`PAY-${i + 1}`, hours)),
    issue('PAY-8', '2026-11-24T08:00:00.000Z', undefined, 'Dana Lee'),
    issue('PAY-0', '2026-11-17T08:00:00.000Z', '2026-11-16T08:00:00.000Z'),
  ];
  const previousIssuesDone = ['A', 'B', 'C', 'D', 'E', 'F'].map((k) => issue(`OLD-${k}`, '2026-11-21T10:00:00.000Z'));

  it('computes cycle time median and nearest-rank p85 on a known list', () => {
    const m = computeDigestMetrics(emptyInput({ issuesDone, previousIssuesDone }));
    expect(m.delivery.done).toBe(8);
    expect(m.delivery.cycleTimeSamples).toBe(7);
    expect(m.delivery.cycleTimeMedianMs).toBe(12 * HOUR);
    expect(m.delivery.cycleTimeP85Ms).toBe(48 * HOUR);
  });

  it('computes the throughput trend, null when the previous period had nothing done', () => {
    // (8 − 6) / 6 = 1/3.
    const m = computeDigestMetrics(emptyInput({ issuesDone, previousIssuesDone }));
    expect(m.delivery.previousDone).toBe(6);
    expect(m.delivery.throughputChangeRatio).toBeCloseTo(1 / 3, 12);
    const none = computeDigestMetrics(emptyInput({ issuesDone }));
    expect(none.delivery.previousDone).toBe(0);
    expect(none.delivery.throughputChangeRatio).toBeNull();
    expect(metricLines(none, emptyInput({ issuesDone })).delivery[0]).toBe('8 issues done (none in the previous period)');
  });

  it('computes deployment frequency and change failure rate', () => {
    // 4 deployments in the 24 h period (one last week is ignored); 1 caused an incident: CFR 1/4.
    const inPeriod: DeploymentRecord[] = [
      { key: 'DEP-1', deployedAt: '2026-11-23T15:00:00.000Z', causedIncidents: [] },
      { key: 'DEP-2', deployedAt: '2026-11-23T18:00:00.000Z', causedIncidents: ['#4211'] },
      { key: 'DEP-3', deployedAt: '2026-11-24T01:00:00.000Z', causedIncidents: [] },
      { key: 'DEP-4', deployedAt: '2026-11-24T11:00:00.000Z', causedIncidents: [] },
      { key: 'DEP-0', deployedAt: '2026-11-18T11:00:00.000Z', causedIncidents: ['#4100'] },
    ];
    const input = emptyInput({ issuesDone, previousIssuesDone, deployments: { inPeriod, attributionWindowHours: 24 } });
    const m = computeDigestMetrics(input);
    expect(m.delivery.deployments).toBe(4);
    expect(m.delivery.deploymentFrequencyPerDay).toBe(4);
    expect(m.delivery.failedDeployments).toBe(1);
    expect(m.delivery.changeFailureRate).toBe(0.25);
    expect(metricLines(m, input).delivery).toEqual([
      '8 issues done (6 in the previous period, +33%)',
      'Cycle time median 12 h 00 min, 85th percentile 2 d 0 h (7 issues with a start date)',
      '4 deployments (4.0 a day); change failure rate 25% (1 of 4 caused an incident)',
    ]);
  });

  it('reports not enough data when no deployment status is configured, or no deployment happened', () => {
    const input = emptyInput({ issuesDone });
    const m = computeDigestMetrics(input);
    expect(m.delivery).toMatchObject({ deploymentsConfigured: false, deployments: null, deploymentFrequencyPerDay: null, changeFailureRate: null });
    expect(metricLines(m, input).delivery).toContain(
      'Deployment frequency, lead time and change failure rate: not enough data (no production deployment recorded: send GitHub deployment_status webhooks to POST /webhooks/github, or set DIGEST_DEPLOYED_STATUSES for Jira)',
    );
    const none = computeDigestMetrics(emptyInput({ issuesDone, deployments: { inPeriod: [], attributionWindowHours: 24 } }));
    expect(none.delivery).toMatchObject({ deploymentsConfigured: true, deployments: 0, deploymentFrequencyPerDay: 0, changeFailureRate: null });
  });
});

describe('approvals', () => {
  it('finds the oldest pending approval and counts decisions in the period by outcome', () => {
    // FIN-88 created Mon 11:00Z, now Tue 14:00Z: 27 h = 1 d 3 h.
    const input = emptyInput({
      approvals: {
        pending: [
          { id: 'ap-2', kind: 'spend', subject: 'FIN-91', createdAt: '2026-11-24T09:00:00.000Z' },
          { id: 'ap-1', kind: 'spend', subject: 'FIN-88', createdAt: '2026-11-23T11:00:00.000Z' },
        ],
        decidedInPeriod: [
          { id: 'ap-3', kind: 'spend', subject: 'FIN-80', status: 'approved', decidedAt: '2026-11-23T16:00:00.000Z', decidedBy: 'Sam' },
          { id: 'ap-4', kind: 'hire', subject: 'REQ-7', status: 'approved', decidedAt: '2026-11-24T12:00:00.000Z', decidedBy: 'Sam' },
          { id: 'ap-5', kind: 'spend', subject: 'FIN-81', status: 'rejected', decidedAt: '2026-11-24T13:00:00.000Z', decidedBy: null },
          { id: 'ap-6', kind: 'spend', subject: 'FIN-70', status: 'expired', decidedAt: '2026-11-20T13:00:00.000Z', decidedBy: null },
        ],
      },
    });
    const m = computeDigestMetrics(input);
    expect(m.approvals.pendingCount).toBe(2);
    expect(m.approvals.oldestPending).toEqual({ id: 'ap-1', kind: 'spend', subject: 'FIN-88', waitingMs: 27 * HOUR });
    expect(m.approvals.decidedCount).toBe(3);
    expect(m.approvals.decidedByStatus).toEqual({ approved: 2, rejected: 1, expired: 0, cancelled: 0 });
    expect(metricLines(m, input).approvals).toEqual([
      '2 approvals waiting; oldest: FIN-88, waiting 1 d 3 h',
      '3 decided in the period: 2 approved, 1 rejected',
    ]);
  });
});

describe('hiring', () => {
  const hiring: StageMove[] = [
    // Screen: 2 d and 4 d → mean 3 d over 2 samples.
    move('a1', 'candidate.stage_changed', { fromStage: 'Screen', toStage: 'Onsite', timeInPreviousStageMs: 2 * DAY }),
    move('a2', 'candidate.stage_changed', { fromStage: 'Screen', toStage: 'Onsite', timeInPreviousStageMs: 4 * DAY }),
    // Onsite: 10 d, but one sample only: never the bottleneck.
    move('a3', 'candidate.stage_changed', { fromStage: 'Onsite', toStage: 'Offer', timeInPreviousStageMs: 10 * DAY }),
    // Applied: 1 d and 0.5 d → mean 0.75 d = 18 h over 2 samples.
    move('a4', 'candidate.stage_changed', { fromStage: 'Applied', toStage: 'Screen', timeInPreviousStageMs: DAY }),
    move('a5', 'candidate.stage_changed', { fromStage: 'Applied', toStage: 'Screen', timeInPreviousStageMs: DAY / 2 }),
    // a3's offer is created and then approved (Greenhouse sends both): one offer made.
    move('a3', 'candidate.offer_created', { offerStatus: 'created' }),
    move('a3', 'candidate.offer_created', { offerStatus: 'approved' }),
    // a6's offer was declined; a9 accepted and was hired.
    move('a6', 'candidate.offer_created', { offerStatus: 'Declined' }),
    move('a9', 'candidate.hired', { offerStatus: 'CandidateAccepted', job: 'Staff SRE' }),
    move('a10', 'candidate.rejected'),
    move('a11', 'candidate.application_created'),
    // Outside the period: ignored.
    move('a12', 'candidate.hired', { at: '2026-11-20T10:00:00.000Z' }),
  ];
  const input = emptyInput({ hiring });
  const m = computeDigestMetrics(input);

  it('counts moves by stage, offers and hires', () => {
    expect(m.hiring.moves).toBe(11);
    expect(m.hiring.movesByStage).toEqual({ Onsite: 2, Offer: 1, Screen: 2 });
    expect(m.hiring).toMatchObject({ offersMade: 2, offersAccepted: 1, offersDeclined: 1, hires: 1, rejections: 1, newApplications: 1 });
    expect(m.wins.hires).toEqual([{ job: 'Staff SRE' }]);
  });

  it('names the bottleneck only among stages with at least 2 samples', () => {
    expect(m.hiring.timeInStageMs).toEqual({ Screen: 3 * DAY, Onsite: 10 * DAY, Applied: 18 * HOUR });
    expect(m.hiring.bottleneck).toEqual({ stage: 'Screen', meanTimeInStageMs: 3 * DAY, samples: 2 });
    const single = computeDigestMetrics(emptyInput({ hiring: hiring.filter((h) => h.fromStage === 'Onsite') }));
    expect(single.hiring.bottleneck).toBeNull();
  });

  it('writes the hiring lines', () => {
    expect(metricLines(m, input).hiring).toEqual([
      'Stage moves: 2 to Onsite, 2 to Screen, 1 to Offer',
      '1 new application; 1 rejected',
      '2 offers made; 1 offer accepted; 1 offer declined; 1 hire',
      'Bottleneck: Screen, mean 3 d 0 h in stage (2 candidates moved on)',
    ]);
  });
});

describe('an empty window', () => {
  it('is quiet, with every count 0 and null where nothing can be computed', () => {
    const input = emptyInput();
    const m = computeDigestMetrics(input);
    expect(m.quiet).toBe(true);
    expect(m.incidents).toEqual({
      triggered: 0,
      countByPriority: {},
      openNow: 0,
      open: [],
      acknowledgedCount: 0,
      meanTimeToAcknowledgeMs: null,
      resolvedCount: 0,
      meanTimeToResolveMs: null,
      medianTimeToResolveMs: null,
      lowerPriority: { below: 'P2', triggered: 0, openNow: 0, longestOpen: null },
    });
    expect(m.availability).toMatchObject({
      downtimeMs: 0,
      availability: 1,
      errorBudgetMs: 259_560,
      budgetUsedMs: 0,
      budgetLeftMs: 259_560,
      budgetUsedRatio: 0,
    });
    expect(m.delivery).toEqual({
      done: 0,
      cycleTimeSamples: 0,
      cycleTimeMedianMs: null,
      cycleTimeP85Ms: null,
      previousDone: 0,
      throughputChangeRatio: null,
      deploymentsConfigured: false,
      deployments: null,
      deploymentFrequencyPerDay: null,
      failedDeployments: null,
      changeFailureRate: null,
      attributionWindowHours: null,
    });
    expect(m.approvals).toEqual({
      pendingCount: 0,
      oldestPending: null,
      decidedCount: 0,
      decidedByStatus: { approved: 0, rejected: 0, expired: 0, cancelled: 0 },
    });
    expect(m.hiring).toEqual({
      moves: 0,
      movesByStage: {},
      newApplications: 0,
      rejections: 0,
      offersMade: 0,
      offersAccepted: 0,
      offersDeclined: 0,
      hires: 0,
      bottleneck: null,
      timeInStageMs: {},
    });
    expect(m.wins).toEqual({ resolvedIncidents: [], shipped: [], hires: [] });
  });

  it('produces empty line arrays and the period in the configured time zone', () => {
    const input = emptyInput();
    expect(metricLines(computeDigestMetrics(input), input)).toEqual({
      period: 'Mon 23 Nov 09:00 – Tue 24 Nov 09:00 (America/New_York)',
      quiet: true,
      incidents: [],
      availability: [],
      delivery: [],
      approvals: [],
      hiring: [],
      wins: [],
    });
  });

  it('is not quiet while an approval waits or an incident is open', () => {
    const waiting = emptyInput({
      approvals: { pending: [{ id: 'p', kind: 'spend', subject: 'FIN-1', createdAt: '2026-11-20T10:00:00.000Z' }], decidedInPeriod: [] },
    });
    expect(computeDigestMetrics(waiting).quiet).toBe(false);
    const open = emptyInput({ incidents: [incident('OLD', { triggeredAt: '2026-11-20T10:00:00.000Z' })] });
    expect(computeDigestMetrics(open).quiet).toBe(false);
  });
});

describe('statistics helpers', () => {
  it('median averages the two middle values; nearest-rank percentile picks a listed value', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
    // n = 20: ⌈0.85 × 20⌉ = 17th value; n = 1: the only value.
    expect(
      percentileNearestRank(
        Array.from({ length: 20 }, (_, i) => i + 1),
        85,
      ),
    ).toBe(17);
    expect(percentileNearestRank([7], 85)).toBe(7);
    expect(percentileNearestRank([], 85)).toBeNull();
  });
});

describe('order invariance', () => {
  const start = Date.parse('2026-10-20T00:00:00.000Z');
  const end = Date.parse('2026-11-25T00:00:00.000Z');
  // Most instants fall in or next to the period, so most records take part in some metric, and
  // a few fixed ones make ties (equal instants) common, so tie-breaking is exercised too.
  const instant = fc
    .oneof(
      { arbitrary: fc.integer({ min: start, max: end }), weight: 1 },
      { arbitrary: fc.integer({ min: PREVIOUS.from.getTime(), max: NOW.getTime() + HOUR }), weight: 1 },
      { arbitrary: fc.constantFrom(PERIOD.from.getTime() + HOUR, NOW.getTime() - HOUR), weight: 4 },
    )
    .map((ms) => new Date(ms).toISOString());
  const maybeInstant = fc.option(instant, { nil: undefined });
  const name = fc.constantFrom('Ana', 'Marco', 'Dana', 'Lee');
  const key = fc.constantFrom('K-1', 'K-2', 'K-3', 'K-4');

  const incidentArb: fc.Arbitrary<IncidentSummary> = fc.record({
    id: key,
    key,
    title: fc.constantFrom('Errors', 'Latency'),
    priority: fc.constantFrom('P1', 'P2', 'P3', null),
    service: fc.constantFrom('Checkout API', null),
    customerFacing: fc.boolean(),
    triggeredAt: instant,
    acknowledgedAt: maybeInstant,
    resolvedAt: maybeInstant,
    responders: fc.array(name, { maxLength: 3 }),
  });
  const issueArb: fc.Arbitrary<IssueDone> = fc.record({
    key,
    title: fc.constantFrom('Ship it', 'Fix it'),
    project: fc.constant('PAY'),
    issueType: fc.constantFrom('Story', null),
    doneAt: instant,
    firstInProgressAt: maybeInstant,
    assignee: fc.option(name, { nil: null }),
  });
  const deploymentArb: fc.Arbitrary<DeploymentRecord> = fc.record({ key, deployedAt: instant, causedIncidents: fc.array(key, { maxLength: 2 }) });
  const moveArb: fc.Arbitrary<StageMove> = fc.record({
    applicationId: fc.constantFrom('a1', 'a2', 'a3'),
    job: fc.constantFrom('SRE', null),
    type: fc.constantFrom('candidate.stage_changed', 'candidate.offer_created', 'candidate.hired', 'candidate.rejected', 'candidate.application_created'),
    toStage: fc.constantFrom('Screen', 'Onsite', null),
    fromStage: fc.constantFrom('Screen', 'Onsite', null),
    at: instant,
    timeInPreviousStageMs: fc.option(fc.integer({ min: 0, max: 30 * DAY }), { nil: undefined }),
    offerStatus: fc.constantFrom('created', 'accepted', 'declined', null, undefined),
  });
  const pendingArb = fc.record({ id: key, kind: fc.constantFrom('spend', 'hire'), subject: fc.constantFrom('FIN-1', 'FIN-2'), createdAt: instant });
  const decidedArb = fc.record({
    id: key,
    kind: fc.constant('spend'),
    subject: fc.constantFrom('FIN-1', 'FIN-2'),
    status: fc.constantFrom('approved' as const, 'rejected' as const, 'expired' as const, 'cancelled' as const),
    decidedAt: instant,
    decidedBy: fc.option(name, { nil: null }),
  });

  /** An array and a permutation of it. */
  function permuted<T>(arb: fc.Arbitrary<T>): fc.Arbitrary<[T[], T[]]> {
    return fc
      .array(arb, { maxLength: 8 })
      .chain((items) => fc.tuple(fc.constant(items), fc.shuffledSubarray(items, { minLength: items.length, maxLength: items.length })));
  }

  it('metrics and lines do not depend on the order of any input array', () => {
    fc.assert(
      fc.property(
        permuted(incidentArb),
        permuted(issueArb),
        permuted(issueArb),
        fc.option(permuted(deploymentArb), { nil: undefined }),
        permuted(pendingArb),
        permuted(decidedArb),
        permuted(moveArb),
        (incidents, issues, previous, deployments, pending, decided, moves) => {
          const build = (pick: 0 | 1): DigestInput =>
            emptyInput({
              incidents: incidents[pick],
              issuesDone: issues[pick],
              previousIssuesDone: previous[pick],
              ...(deployments ? { deployments: { inPeriod: deployments[pick], attributionWindowHours: 24 } } : {}),
              approvals: { pending: pending[pick], decidedInPeriod: decided[pick] },
              hiring: moves[pick],
            });
          const a = build(0);
          const b = build(1);
          const metricsA = computeDigestMetrics(a);
          const metricsB = computeDigestMetrics(b);
          expect(metricsB).toEqual(metricsA);
          expect(metricLines(metricsB, b)).toEqual(metricLines(metricsA, a));
        },
      ),
      { numRuns: 500 },
    );
  });
});
