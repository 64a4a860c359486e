import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../functions/core/env';
import { loadDigestConfig } from '../../functions/digest/digest-config';
import {
  changeFailureTier,
  computeDora,
  type DoraChange,
  type DoraDeployment,
  type DoraIncident,
  type DoraInput,
  doraReadFrom,
  frequencyTier,
  isLinked,
  isProduction,
  leadTimeTier,
  recoveryTier,
} from '../../functions/digest/dora';
import { doraLines, sparkline } from '../../functions/digest/dora-lines';
import { renderDoraPanel } from '../../local/dora-panel';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

// A one-day period, Mon 23 Nov 14:00Z → Tue 24 Nov 14:00Z, and the day before as the previous period.
const PERIOD = { from: new Date('2026-11-23T14:00:00.000Z'), to: new Date('2026-11-24T14:00:00.000Z') };
const PREVIOUS = { from: new Date('2026-11-22T14:00:00.000Z'), to: PERIOD.from };
const REPO = 'acme/checkout-api';

const deploy = (id: string, at: string, fields: Partial<DoraDeployment> = {}): DoraDeployment => ({
  id: `${REPO}#${id}`,
  repository: REPO,
  environment: 'production',
  productionEnvironment: null,
  state: 'success',
  at,
  ...fields,
});
const pr = (id: string, openedAt: string, mergedAt: string, fields: Partial<DoraChange> = {}): DoraChange => ({
  id: `${REPO}#${id}`,
  repository: REPO,
  firstCommitAt: null,
  openedAt,
  mergedAt,
  ...fields,
});
const incident = (key: string, service: string, triggeredAt: string, priorities: string[], resolvedAt?: string): DoraIncident => ({
  key,
  service,
  triggeredAt,
  priorities,
  ...(resolvedAt ? { resolvedAt } : {}),
});

function input(overrides: Partial<DoraInput> = {}): DoraInput {
  return {
    period: PERIOD,
    previousPeriod: PREVIOUS,
    deployments: [],
    changes: [],
    incidents: [],
    productionEnvironments: ['production', 'prod'],
    serviceRepositories: {},
    attributionWindowHours: 24,
    ...overrides,
  };
}

// Production deployments of acme/checkout-api: D0 23 Nov 10:00Z (previous period, the first
// recorded), D1 24 Nov 01:00Z (GitHub's production flag, environment "live"), D2 05:00Z ("prod"),
// D3 09:00Z. D1 also has a second success status at 01:05Z (one deployment, counted once at 01:00).
// S1 07:00Z is staging and F1 08:00Z a failed production attempt: neither is a deployment.
const deployments = [
  deploy('D0', '2026-11-23T10:00:00.000Z'),
  deploy('D1', '2026-11-24T01:00:00.000Z', { environment: 'live', productionEnvironment: true }),
  deploy('D1', '2026-11-24T01:05:00.000Z', { environment: 'live', productionEnvironment: true }),
  deploy('D2', '2026-11-24T05:00:00.000Z', { environment: 'prod' }),
  deploy('S1', '2026-11-24T07:00:00.000Z', { environment: 'staging', productionEnvironment: false }),
  deploy('F1', '2026-11-24T08:00:00.000Z', { state: 'failure' }),
  deploy('D3', '2026-11-24T09:00:00.000Z'),
];
// Merged pull requests, each to the first production deployment of its repository at or after the merge:
// F merged 23 Nov 08:00Z, before the first recorded deployment → D0 (opened 22 Nov 20:00Z): 14 h, previous period;
// B merged 23:00Z, between D0 and D1 → D1 01:00Z (opened 23 Nov 15:00Z): 10 h;
// A merged 03:00Z, between D1 and D2 → D2 05:00Z (opened 23 Nov 20:00Z): 9 h (not the staging deployment);
// C merged 08:30Z, after the failed attempt → D3 09:00Z, from its known first commit 06:00Z: 3 h;
// D merged 10:00Z after D3, and E on acme/search (never deployed): not yet deployed.
const changes = [
  pr('F', '2026-11-22T20:00:00.000Z', '2026-11-23T08:00:00.000Z'),
  pr('B', '2026-11-23T15:00:00.000Z', '2026-11-23T23:00:00.000Z'),
  pr('A', '2026-11-23T20:00:00.000Z', '2026-11-24T03:00:00.000Z'),
  pr('C', '2026-11-24T06:30:00.000Z', '2026-11-24T08:30:00.000Z', { firstCommitAt: '2026-11-24T06:00:00.000Z' }),
  pr('D', '2026-11-24T09:10:00.000Z', '2026-11-24T10:00:00.000Z'),
  { ...pr('E', '2026-11-24T01:00:00.000Z', '2026-11-24T02:00:00.000Z'), id: 'acme/search#E', repository: 'acme/search' },
];
// I1: P1 on "Checkout API" 30 min after D3, resolved 10:04Z → D3 failed, recovered 1 h 04 min after it.
// I2: P1 on search-api (not linked to acme/checkout-api) right after D2: no failure.
// I3: P3 on checkout after D1: not severe enough.
const incidents = [
  incident('#1', 'Checkout API', '2026-11-24T09:30:00.000Z', ['P1', 'P2'], '2026-11-24T10:04:00.000Z'),
  incident('#2', 'search-api', '2026-11-24T05:30:00.000Z', ['P1'], '2026-11-24T06:00:00.000Z'),
  incident('#3', 'checkout-api', '2026-11-24T01:30:00.000Z', ['P3'], '2026-11-24T02:00:00.000Z'),
];

describe('computeDora on a hand-computed night', () => {
  const m = computeDora(input({ deployments, changes, incidents }));

  it('counts production deployments only, once each: never staging, never a failed attempt', () => {
    expect(m).toMatchObject({
      deployments: 3,
      previousDeployments: 1,
      frequencyChangeRatio: 2,
      perDay: 3,
      lastSevenDays: 4,
      lastTwentyEightDays: 4,
      failedAttempts: 1,
    });
    // 4 in 28 days = once a week exactly: at least weekly, less than daily.
    expect(m.frequencyTier).toBe('high');
  });

  it('maps each pull request to the first production deployment of its repository at or after its merge', () => {
    // Period sample: B 10 h, A 9 h, C 3 h → median 9 h; p85 by nearest rank ⌈0.85 × 3⌉ = 3rd = 10 h. F stays with D0.
    expect(m).toMatchObject({
      leadTimeSamples: 3,
      leadTimeFromOpened: 2,
      leadTimeMedianMs: 9 * HOUR,
      leadTimeP85Ms: 10 * HOUR,
      leadTimeTier: 'elite',
      undeployedChanges: 2,
    });
  });

  it('counts a deployment as failed when a linked P1/P2 follows it before the next deployment: 1 of 3', () => {
    expect(m).toMatchObject({ failedDeployments: 1, changeFailureRate: 1 / 3, changeFailureTier: 'low' });
  });

  it('measures recovery from the deployment to the resolution of its incident', () => {
    expect(m).toMatchObject({ recoverySamples: 1, recoveryMedianMs: 64 * MIN, recoveryTier: 'high', unrecovered: 0 });
  });

  it('keeps 8 weeks of trend ending at the period end', () => {
    expect(m.weeks).toHaveLength(8);
    expect(m.weeks[0]?.from.toISOString()).toBe('2026-09-29T14:00:00.000Z');
    expect(m.weeks.map((w) => w.deployments)).toEqual([0, 0, 0, 0, 0, 0, 0, 4]);
    // Last week's lead times: 14, 10, 9, 3 h → median (9 + 10) / 2 = 9.5 h.
    expect(m.weeks.map((w) => w.leadTimeMedianMs)).toEqual([null, null, null, null, null, null, null, 9.5 * HOUR]);
  });

  it('writes the lines exactly, with "33% (1 of 3)" and the sparklines with their numbers', () => {
    expect(doraLines(m, 24)).toEqual([
      'Deployment frequency: 3 production deployments in the period (3.0 a day; previous period 1, +200%), 4 in the last 7 days, 4 in the last 28: DORA high (between daily and weekly); 1 failed deployment attempt (not deployed, not in the failure rate)',
      'Change lead time: median 9 h 00 min, 85th percentile 10 h 00 min over 3 merged pull requests (2 from opening, first commit unknown): DORA elite (under a day)',
      'Change failure rate: 33% (1 of 3): DORA low (over 20%); a failure is a P1 or P2 on a linked service within 24 h of a deployment and before the next one',
      'Failed deployment recovery time: median 1 h 04 min over 1 failed deployment: DORA high (under a day)',
      'Deployments per week, last 8 weeks: ▁▁▁▁▁▁▁█ 0, 0, 0, 0, 0, 0, 0, 4',
      'Lead time per week (median), last 8 weeks: ·······█ –, –, –, –, –, –, –, 9 h 30 min',
    ]);
  });

  it('does not depend on the order of its inputs', () => {
    const reversed = computeDora(input({ deployments: [...deployments].reverse(), changes: [...changes].reverse(), incidents: [...incidents].reverse() }));
    expect(reversed).toEqual(m);
  });
});

describe('change failure attribution', () => {
  const three = deployments.filter((d) => ['D1', 'D2', 'D3'].some((id) => d.id.endsWith(id)));

  it('stops at the next deployment of the repository: an incident after D2 fails D2, not D1', () => {
    const m = computeDora(input({ deployments: three, incidents: [incident('#4', 'checkout-api', '2026-11-24T05:10:00.000Z', ['P2'])] }));
    expect(m).toMatchObject({ failedDeployments: 1, unrecovered: 1, recoverySamples: 0, recoveryMedianMs: null });
    expect(doraLines(m, 24)).toContain('Failed deployment recovery time: not enough data (the incident after 1 failed deployment is still unresolved)');
  });

  it('ignores an incident past the attribution window, on an unlinked service, or below P2', () => {
    const late = computeDora(input({ deployments: three, incidents, attributionWindowHours: 0.25 }));
    expect(late.failedDeployments).toBe(0);
    const unlinked = computeDora(input({ deployments: three, incidents: [incident('#5', 'payments', '2026-11-24T09:30:00.000Z', ['P1'])] }));
    expect(unlinked.changeFailureRate).toBe(0);
    expect(doraLines(unlinked, 24)).toContain('Failed deployment recovery time: no failed deployment in the period');
  });

  it('links services by DORA_SERVICE_REPOSITORIES, else to the repository of the same name', () => {
    expect(isLinked('Checkout API', 'acme/checkout-api', {})).toBe(true);
    expect(isLinked('checkout-api', 'other-org/Checkout_API', {})).toBe(true);
    expect(isLinked('checkout', 'acme/checkout-api', {})).toBe(false);
    expect(isLinked(null, 'acme/checkout-api', {})).toBe(false);
    const map = { Payments: ['acme/checkout-api', 'acme/ledger'] };
    expect(isLinked('payments', 'ACME/Ledger', map)).toBe(true);
    expect(isLinked('payments', 'acme/payments', map)).toBe(false);
    const mapped = computeDora(
      input({
        deployments: three,
        incidents: [incident('#6', 'Payments', '2026-11-24T09:30:00.000Z', ['P1'], '2026-11-24T09:40:00.000Z')],
        serviceRepositories: map,
      }),
    );
    expect(mapped).toMatchObject({ failedDeployments: 1, recoveryMedianMs: 40 * MIN, recoveryTier: 'elite' });
  });
});

describe('an empty window', () => {
  it('says not enough data and what is missing, with no figure', () => {
    const m = computeDora(input());
    expect(m).toMatchObject({ deployments: 0, anyDeploymentRecorded: false, changeFailureRate: null, leadTimeMedianMs: null, recoveryMedianMs: null });
    const lines = doraLines(m, 24);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^DORA metrics: not enough data \(no production deployment recorded: send GitHub deployment_status webhooks/);
  });

  it('with a deployment 12 days ago only: zero this period, rate not enough data, the trend still shown', () => {
    const m = computeDora(input({ deployments: [deploy('OLD', '2026-11-12T12:00:00.000Z')] }));
    expect(doraLines(m, 24)).toEqual([
      'Deployment frequency: 0 production deployments in the period (0.0 a day; previous period 0), 0 in the last 7 days, 1 in the last 28: DORA medium (between weekly and monthly)',
      'Change lead time: not enough data (no merged pull request reached production in the period)',
      'Change failure rate: not enough data (no production deployment in the period)',
      'Deployments per week, last 8 weeks: ▁▁▁▁▁▁█▁ 0, 0, 0, 0, 0, 0, 1, 0',
    ]);
  });
});

describe('tiers (DORA 2024 levels)', () => {
  it('places each metric on the bounds in the README table', () => {
    expect([1, 0.99, 1 / 7, 0.14, 1 / 30, 0.03].map(frequencyTier)).toEqual(['elite', 'high', 'high', 'medium', 'medium', 'low']);
    expect([DAY - 1, DAY, 7 * DAY - 1, 7 * DAY, 30 * DAY - 1, 30 * DAY].map(leadTimeTier)).toEqual(['elite', 'high', 'high', 'medium', 'medium', 'low']);
    expect([0, 0.05, 0.06, 0.1, 0.11, 0.2, 0.21].map(changeFailureTier)).toEqual(['elite', 'elite', 'medium', 'medium', 'high', 'high', 'low']);
    expect([HOUR - 1, HOUR, DAY - 1, DAY, 7 * DAY].map(recoveryTier)).toEqual(['elite', 'high', 'high', 'medium', 'low']);
  });

  it('decides production by GitHub flag or configured name, never staging', () => {
    expect(isProduction({ environment: 'staging', productionEnvironment: false }, ['production', 'prod'])).toBe(false);
    expect(isProduction({ environment: 'Production', productionEnvironment: null }, ['production', 'prod'])).toBe(true);
    expect(isProduction({ environment: 'eu-live', productionEnvironment: true }, ['production'])).toBe(true);
    expect(isProduction({ environment: 'prod-eu', productionEnvironment: null }, ['production', 'prod'])).toBe(false);
  });
});

describe('sparkline', () => {
  it('draws zero as the lowest bar, any positive value at least the second, and gaps as dots', () => {
    expect(sparkline([0, 1, 2, 4, 8])).toBe('▁▂▃▅█');
    expect(sparkline([0, 0, 0])).toBe('▁▁▁');
    expect(sparkline([null, 5, null])).toBe('·█·');
    expect(sparkline([1, 100])).toBe('▂█');
  });
});

describe('DORA configuration', () => {
  it('defaults production environments and refuses bad DORA_SERVICE_REPOSITORIES naming the variable', () => {
    expect(loadDigestConfig({})).toMatchObject({ productionEnvironments: ['production', 'prod'], serviceRepositories: {} });
    expect(
      loadDigestConfig({ DORA_PRODUCTION_ENVIRONMENTS: 'live, eu-live', DORA_SERVICE_REPOSITORIES: '{"checkout-api":["acme/checkout-api"]}' }),
    ).toMatchObject({
      productionEnvironments: ['live', 'eu-live'],
      serviceRepositories: { 'checkout-api': ['acme/checkout-api'] },
    });
    expect(() => loadDigestConfig({ DORA_SERVICE_REPOSITORIES: '{checkout-api:' })).toThrow(ConfigError);
    expect(() => loadDigestConfig({ DORA_SERVICE_REPOSITORIES: '{checkout-api:' })).toThrow(/^DORA_SERVICE_REPOSITORIES is not valid JSON/);
    expect(() => loadDigestConfig({ DORA_SERVICE_REPOSITORIES: '{"checkout-api":"acme/checkout-api"}' })).toThrow(/^DORA_SERVICE_REPOSITORIES: checkout-api:/);
    expect(() => loadDigestConfig({ DORA_SERVICE_REPOSITORIES: '{"checkout-api":["checkout-api"]}' })).toThrow(/owner\/repo/);
  });

  it('reads changes from 90 days before the earlier of the 8 weeks and the previous period', () => {
    expect(doraReadFrom(PERIOD, PREVIOUS).toISOString()).toBe(new Date(PERIOD.to.getTime() - 56 * DAY - 90 * DAY).toISOString());
  });
});

describe('local inbox DORA panel', () => {
  it('renders each line as a list item, escaped, and nothing when there are no lines', () => {
    expect(renderDoraPanel([])).toBe('');
    const html = renderDoraPanel(['Deployments per week, last 8 weeks: ▁█ 0, 3', 'a <b> & "c"']);
    expect(html).toContain('<li>Deployments per week, last 8 weeks: ▁█ 0, 3</li>');
    expect(html).toContain('<li>a &lt;b&gt; &amp; &quot;c&quot;</li>');
  });
});
