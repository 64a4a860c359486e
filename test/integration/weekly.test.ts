import { fixedClockTable } from '../support/fixed-clock-table';
import { describe, expect, it } from 'vitest';
import { incidentAttentionStores } from '../../functions/adapters/dynamo-attention';
import { DynamoWeeklyStore } from '../../functions/adapters/dynamo-weekly';
import { EnvSecrets } from '../../functions/adapters/env-secrets';
import { LocalBus } from '../../functions/adapters/local-bus';
import { routes } from '../../functions/core/routing';
import { loadDigestConfig } from '../../functions/digest/digest-config';
import { runDigest } from '../../functions/digest/digest-runner';
import { handleHistoryEvent } from '../../functions/history/history-worker';
import { handleIncidentEvent } from '../../functions/incidents/incident-worker';
import { loadWeeklyConfig } from '../../functions/weekly/weekly-config';
import { runWeekly, type WeeklyDeps } from '../../functions/weekly/weekly-runner';
import { gitHubDeploymentScenario } from '../../local/scenarios/github-deployments';
import { pagerDutyIncidentScenario } from '../../local/scenarios/pagerduty-incident';
import { weeklyWeekScenario } from '../../local/scenarios/weekly-week';
import { seedHistory } from '../../local/seed-history';
import { signedDeliverer } from '../support/deliver';

const SECRETS: Record<string, string> = {
  PAGERDUTY_WEBHOOK_SECRET: 'fake-pagerduty-secret-for-tests',
  JIRA_WEBHOOK_SECRET: 'fake-jira-secret-for-tests',
  GITHUB_WEBHOOK_SECRET: 'fake-github-secret-for-tests',
};

/** Ingest, the bus, the incident and history workers on one table with a fixed clock, and the weekly runner. */
async function world(now: Date, prefix = 'weekly') {
  const { table, store, approvals, chat, clock, writer, outbox, claims } = await fixedClockTable(prefix, now);
  const bus = new LocalBus(
    routes,
    {
      incident: (event) =>
        handleIncidentEvent(event, { store, outbox, writer, clock, channel: '#incidents', ...incidentAttentionStores(table.db, table.tableName) }),
      history: (event) => handleHistoryEvent(event, { store, clock, retentionDays: 180, deployedStatuses: [] }),
      escalation: async () => {},
      answer: async () => {},
      approval: async () => {},
    },
    { retryDelaysMs: [] },
  );
  const ingestDeps = { store, bus, secrets: new EnvSecrets(SECRETS), clock, maxBodyBytes: 1 << 20 };
  const deliver = signedDeliverer(ingestDeps, SECRETS, now);
  const weekly = new DynamoWeeklyStore(table.db, table.tableName);
  const deps: WeeklyDeps = {
    store,
    weekly,
    approvals,
    writer,
    outbox,
    claims,
    clock,
    config: loadWeeklyConfig({}),
  };
  const posted = (channel: string) =>
    chat
      .threads()
      .filter((thread) => thread.parent.channel === channel)
      .map((thread) => JSON.stringify(thread.parent.blocks));
  return { table, store, approvals, writer, outbox, clock, deliver, deps, weekly, posted };
}

// Friday 4 Dec 2026, 15:00 in New York (20:00Z): the scheduled time; the week is Fri 27 Nov 15:00 → now.
const FRIDAY = new Date('2026-12-04T20:00:00Z');

describe('weekly update', () => {
  it('tried as a new user: the demo week gives the hand-counted rework, investment shares and after-hours pages', async () => {
    const w = await world(FRIDAY);
    // What `npm run demo` sends, dated from this clock: the P1 lifecycle (14:00-14:34 local, P1 for 20 min), GitHub, then the week.
    await w.deliver(pagerDutyIncidentScenario({ incidentId: 'QWEEK1', start: new Date(FRIDAY.getTime() - 60 * 60_000) }));
    await w.deliver(gitHubDeploymentScenario({ start: new Date(FRIDAY.getTime() - 6 * 3_600_000) }));
    await w.deliver(weeklyWeekScenario(FRIDAY));

    const outcome = await runWeekly(w.deps);
    expect(outcome).toMatchObject({ id: 'week-2026-12-04T15:00', posted: true });
    const [text] = w.posted('#exec-staff');
    expect(text).toBeDefined();

    // Rework: 3 demo deployments (planned) + the fix during the open P2 + the revert + the search deploy during a P3 = 2 of 6.
    expect(text).toContain('Deployment rework rate: 33% (2 of 6 production deployments were unplanned fixes');
    expect(text).toContain('Deployment frequency: 6 production deployments this week (previous week 0)');
    // Investment (default categories): 10 completed, 4 the week before.
    expect(text).toContain('10 Jira issues completed this week (previous week 4)');
    expect(text).toContain('Feature: 40% (4 of 10; previous week 50%; last 4 weeks –, –, 50%, 40%)');
    expect(text).toContain('Tech debt: 20% (2 of 10; previous week 25%');
    expect(text).toContain('Keep the lights on: 20% (2 of 10; previous week 25%');
    expect(text).toContain('Unplanned / incident follow-up: 10% (1 of 10; previous week 0%');
    expect(text).toContain('Uncategorised: 10% (1 of 10; previous week 0%');
    // After hours: Platform 4 at night (Wed, Thu, Fri 02:00; the last escalated to a second person), Search 1 on Saturday.
    expect(text).toContain('5 pages outside working hours this week (4 at night, 1 at the weekend; previous week 0), of 8 pages in all');
    expect(text).toContain('After-hours pages by team: Platform 4, Search 1');
    expect(text).toContain('3 people paged at night or at the weekend (previous week 0)');
    expect(text).toContain('Longest run for one person: paged 3 nights or weekends in a row (3 pages)');
    // Wins thank responders by name; the load section never names who carried it.
    const load = /\*People and load\*[^"]*/.exec(text ?? '')?.[0] ?? '';
    expect(load).toContain('Platform 4');
    for (const name of ['Alex', 'Jordan', 'Riley', 'Priya']) expect(load).not.toContain(name);
    expect(text).toContain('This week: availability 99.801% missed 99.99%; 2 customer-affecting incidents; 6 deploys, 2 rework.');
    // Reliability: 20 min at P1 this week; the quarter (from 1 Oct 04:00Z) has 64 d 16 h elapsed; its budget is 0.01% of 92 d 1 h.
    expect(text).toContain('Availability this week 99.801% against the 99.99% objective (20 min at P1; previous week 100.000%, 0 s at P1)');
    expect(text).toContain('Availability this quarter so far 99.978% (20 min of downtime)');
    expect(text).toContain('Error budget for the quarter overspent by 6 min 45 s (budget 13 min)');
    expect(text).toContain('2 customer-affecting incidents this week (previous week 0)');
    expect(text).toContain('Milestone: WEB-100 Saved cards for returning customers');

    // The stored record holds the same update as Markdown, with the same figures.
    const latest = await w.weekly.latestWeekly();
    expect(latest?.id).toBe(outcome.id);
    for (const figure of ['33% (2 of 6', '40% (4 of 10', 'Platform 4, Search 1', '99.801%', '99.978%']) expect(latest?.markdown).toContain(figure);
    expect(latest?.markdown.split('\n')[0]).toBe(`# ${latest?.document.headline}`);
  }, 400_000);

  it('posts once per week: a re-fired schedule finds the update already written', async () => {
    const w = await world(FRIDAY, 'weekly-once');
    const first = await runWeekly(w.deps);
    const again = await runWeekly(w.deps);
    expect(again).toEqual({ id: first.id, posted: false, itemsRead: 0 });
    expect(w.posted('#exec-staff')).toHaveLength(1);
  });

  it('availability matches the digest exactly when the periods are the same (the month so far = this week)', async () => {
    // Tue 8 Dec 00:00 in New York: the month began a week ago, so both windows are 1 Dec 05:00Z → 8 Dec 05:00Z.
    const now = new Date('2026-12-08T05:00:00Z');
    const w = await world(now, 'weekly-digest');
    await w.deliver(pagerDutyIncidentScenario({ incidentId: 'QNOV', number: 4400, start: new Date('2026-11-30T12:00:00Z') }));
    await w.deliver(pagerDutyIncidentScenario({ incidentId: 'QDEC1', number: 4401, start: new Date('2026-12-03T10:00:00Z') }));
    await w.deliver(pagerDutyIncidentScenario({ incidentId: 'QDEC2', number: 4402, start: new Date('2026-12-06T10:00:00Z'), p1Minutes: 45 }));
    await runDigest(
      {
        store: w.store,
        approvals: w.approvals,
        ledger: w.store,
        writer: w.writer,
        outbox: w.outbox,
        clock: w.clock,
        claims: w.deps.claims,
        config: loadDigestConfig({}),
      },
      { manual: true },
    );
    await runWeekly(w.deps, { manual: true });
    const [digest] = w.posted('#exec-digest');
    const [weekly] = w.posted('#exec-staff');
    // 20 + 45 min at P1 in 7 days: 1 − 3,900 / 604,800 = 99.355% (rounded down) in both.
    expect(digest).toContain('Availability this month 99.355% against a 99.99% SLO: 1 h 05 min of downtime');
    expect(weekly).toContain('Availability this week 99.355% against the 99.99% objective (1 h 05 min at P1');
  }, 120_000);

  it('reads the same number of items whether the table holds nothing or 5,000 records outside its window', async () => {
    const empty = await world(FRIDAY, 'weekly-empty');
    const full = await world(FRIDAY, 'weekly-full');
    for (const w of [empty, full]) await w.deliver(pagerDutyIncidentScenario({ incidentId: 'QFLATW', start: new Date(FRIDAY.getTime() - 3_600_000) }));
    // The read runs from the quarter's start (1 Oct 00:00 New York = 04:00Z) to the week's end.
    await seedHistory(full.table.db, full.table.tableName, 5_000, { before: new Date('2026-10-01T04:00:00Z'), after: FRIDAY });
    const a = await runWeekly(empty.deps);
    const b = await runWeekly(full.deps);
    expect(a.itemsRead).toBeGreaterThan(0);
    expect(b.itemsRead).toBe(a.itemsRead);
    expect(full.posted('#exec-staff')).toEqual(empty.posted('#exec-staff'));
  }, 120_000);
});
