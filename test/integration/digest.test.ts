import { incidentAttentionStores } from '../../functions/adapters/dynamo-attention';
import { fixedClockTable } from '../support/fixed-clock-table';
import { describe, expect, it } from 'vitest';
import { EnvSecrets } from '../../functions/adapters/env-secrets';
import { LocalBus } from '../../functions/adapters/local-bus';
import { loadApprovalConfig } from '../../functions/approvals/approval-config';
import { handleApprovalWorkerEvent } from '../../functions/approvals/approval-worker';
import { routes } from '../../functions/core/routing';
import { loadDigestConfig } from '../../functions/digest/digest-config';
import { type DigestDeps, runDigest } from '../../functions/digest/digest-runner';
import { handleHistoryEvent } from '../../functions/history/history-worker';
import { handleIncidentEvent } from '../../functions/incidents/incident-worker';
import { deliveryAndHiringScenario, greenhouseAndAshbyScenario } from '../../local/scenarios/delivery-and-hiring';
import { gitHubDeploymentScenario } from '../../local/scenarios/github-deployments';
import { pagerDutyIncidentScenario } from '../../local/scenarios/pagerduty-incident';
import { liveDoraLines, renderDoraPanel } from '../../local/dora-panel';
import { seedHistory } from '../../local/seed-history';
import { signedDeliverer } from '../support/deliver';

/** Tuesday 24 Nov 2026, 09:30 in New York: the 09:00 digest covers Monday 09:00 → Tuesday 09:00. */
const NOW = new Date('2026-11-24T14:30:00Z');
const SECRETS: Record<string, string> = {
  PAGERDUTY_WEBHOOK_SECRET: 'fake-pagerduty-secret-for-tests',
  JIRA_WEBHOOK_SECRET: 'fake-jira-secret-for-tests',
  LEVER_SIGNATURE_TOKEN: 'fake-lever-token-for-tests',
  GREENHOUSE_WEBHOOK_SECRET: 'fake-greenhouse-secret-for-tests',
  ASHBY_WEBHOOK_SECRET: 'fake-ashby-secret-for-tests',
  GITHUB_WEBHOOK_SECRET: 'fake-github-secret-for-tests',
};

/** The whole service on one table with a fixed clock: ingest, the bus and every worker, then the digest. */
async function world(prefix = 'digest', digestEnv: Record<string, string> = { DIGEST_CUSTOMER_FACING_SERVICES: 'checkout-api' }) {
  const { table, store, approvals, chat, clock, writer, outbox, claims } = await fixedClockTable(prefix, NOW);
  const approvalConfig = loadApprovalConfig({ SLACK_APPROVER_IDS: 'U0VPAAAAA' });
  const bus: LocalBus = new LocalBus(
    routes,
    {
      incident: (event) =>
        handleIncidentEvent(event, { store, outbox, writer, clock, channel: '#incidents', ...incidentAttentionStores(table.db, table.tableName) }),
      history: (event) => handleHistoryEvent(event, { store, clock, retentionDays: 180, deployedStatuses: loadDigestConfig(digestEnv).deployedStatuses }),
      escalation: async () => {},
      answer: async () => {},
      approval: (event) => handleApprovalWorkerEvent(event, { approvals, chat, outbox, writer, bus, clock, claims, config: approvalConfig }),
    },
    { retryDelaysMs: [] },
  );
  const ingestDeps = { store, bus, secrets: new EnvSecrets(SECRETS), clock, maxBodyBytes: 1 << 20 };
  const deliver = signedDeliverer(ingestDeps, SECRETS, NOW);
  const digestDeps: DigestDeps = {
    store,
    approvals,
    ledger: store,
    writer,
    outbox,
    claims,
    clock,
    config: loadDigestConfig(digestEnv),
  };
  const digestText = () => JSON.stringify(chat.threads().find((thread) => thread.parent.channel === '#exec-digest')?.parent.blocks ?? []);
  return { table, store, chat, deliver, digestDeps, digestText };
}

describe('morning digest', () => {
  it('reports the night: the incident with its times, the approval waiting, hiring moves, and thanks by name', async () => {
    const { deliver, digestDeps, digestText, store } = await world();
    // Triggered 02:00 UTC on the 24th; acknowledged after 7 min, resolved after 34 min.
    await deliver(pagerDutyIncidentScenario({ incidentId: 'QDIGEST1', start: new Date('2026-11-24T02:00:00Z') }));
    await deliver(deliveryAndHiringScenario(new Date('2026-11-24T03:00:00Z')).slice(0, 1));
    await deliver(greenhouseAndAshbyScenario(new Date('2026-11-24T12:00:00Z')).slice(0, 2));

    const outcome = await runDigest(digestDeps);

    expect(outcome).toMatchObject({ id: '2026-11-24T09:00', posted: true });
    const text = digestText();
    // Priority is the incident's last (lowered from P1 to P2 before it was resolved).
    expect(text).toContain('1 incident: 1 P2');
    expect(text).toContain('Mean time to acknowledge 7 min; time to resolve mean 34 min, median 34 min');
    // November 2026 in New York lasts 721 h (DST ends on the 1st): 0.01% of it is 4 min 20 s.
    // The incident spent its first 20 min at P1 on Checkout API (configured as `checkout-api`): that is
    // downtime, though it was resolved as a P2. ⌊(562 h − 20 min) / 562 h⌋ to 3 decimals = 99.940%.
    expect(text).toContain('Availability this month 99.940% against a 99.99% SLO: 20 min of downtime; error budget 4 min 20 s, used 20 min (462%)');
    expect(text).toContain('lead time and change failure rate: not enough data (no production deployment recorded: send GitHub deployment_status webhooks');
    expect(text).toContain('2 approvals waiting');
    expect(text).toContain('Stage moves: 1 to Offer, 1 to Onsite Interview');
    expect(text).toContain('thanks to Marco Diaz');
    // Provenance: the incident it reports on is linked.
    expect(text).toContain('https://acme.pagerduty.com/incidents/QDIGEST1|Incident #4211');
    const saved = await store.getDigest(outcome.id);
    expect(saved?.period).toEqual({ from: '2026-11-23T14:00:00.000Z', to: '2026-11-24T14:00:00.000Z' });
    expect(saved?.metrics).toMatchObject({ incidents: { openNow: 0 }, approvals: { pendingCount: 2 } });
  });

  it('tried as a new user: signed GitHub deliveries and a P1 give 3 deployments, a lead time, 1 of 3 failed, and no false availability', async () => {
    // Default configuration: no customer-facing services, no repository map, no Jira deployed status.
    const { deliver, digestDeps, digestText, store } = await world('digest-dora', {});
    // Production deployments at 04:00Z, 06:00Z and 08:00Z on the 24th, staging at 05:00Z; PR #101 merged
    // 02:00Z (opened 08:00Z the day before: 20 h to deployment 1), PR #102 merged 05:30Z (opened 04:30Z: 1 h 30 min).
    await deliver(gitHubDeploymentScenario({ start: new Date('2026-11-24T04:00:00Z') }));
    // A P1 on "Checkout API" at 09:00Z, after deployment 3: at P1 for 30 min, then P2, resolved at 09:44Z.
    await deliver(pagerDutyIncidentScenario({ incidentId: 'QDORA1', start: new Date('2026-11-24T09:00:00Z'), p1Minutes: 30 }));

    await runDigest(digestDeps);

    const text = digestText();
    expect(text).toContain('Deployment frequency: 3 production deployments in the period (3.0 a day; previous period 0)');
    // Median of 20 h and 1 h 30 min = 10 h 45 min; p85 by nearest rank = the 2nd = 20 h.
    expect(text).toContain('Change lead time: median 10 h 45 min, 85th percentile 20 h 00 min over 2 merged pull requests');
    expect(text).toContain('Change failure rate: 33% (1 of 3)');
    // Deployment 3 at 08:00Z to the resolution at 09:44Z.
    expect(text).toContain('Failed deployment recovery time: median 1 h 44 min over 1 failed deployment');
    expect(text).toContain('Deployments per week, last 8 weeks: ▁▁▁▁▁▁▁█ 0, 0, 0, 0, 0, 0, 0, 3');
    // 30 min at P1 of 562 h elapsed: ⌊99.9110…⌋ = 99.911%; every service counts by default, and it says so.
    expect(text).toContain('Availability this month 99.911% against a 99.99% SLO: 30 min of downtime');
    expect(text).toContain('Every service counts (set DIGEST_CUSTOMER_FACING_SERVICES');
    expect(text).not.toMatch(/100\.000%|no downtime|no time at P1/);
    // Stored for the record: staging never counted.
    const saved = await store.getDigest('2026-11-24T09:00');
    expect(saved?.metrics).toMatchObject({ dora: { deployments: 3, failedDeployments: 1, leadTimeSamples: 2 } });

    // The local inbox's panel shows the same figures for the 7 days up to now, from the same code.
    const panel = renderDoraPanel(await liveDoraLines(store, digestDeps.config, NOW));
    expect(panel).toContain('3 production deployments in the period');
    expect(panel).toContain('Change failure rate: 33% (1 of 3)');
    expect(panel).toContain('Deployments per week, last 8 weeks: ▁▁▁▁▁▁▁█ 0, 0, 0, 0, 0, 0, 0, 3');
  });

  it('says a quiet night is quiet instead of posting nothing', async () => {
    const { digestDeps, digestText } = await world();
    const outcome = await runDigest(digestDeps);
    expect(outcome.posted).toBe(true);
    expect(digestText()).toContain('A quiet Mon 23 Nov 09:00 – Tue 24 Nov 09:00 (America/New_York): nothing needs your attention this morning.');
  });

  it('mentions it when the AI budget ran out and templates stood in', async () => {
    const { digestDeps, digestText, store } = await world();
    await store.recordBudgetFallback('2026-11-24');
    await store.recordBudgetFallback('2026-11-24');
    await runDigest(digestDeps);
    expect(digestText()).toContain('The daily AI writing budget ran out: 2 documents were written from templates since 2026-11-23.');
  });

  it('posts once per period: a re-fired schedule finds the digest already written', async () => {
    const { chat, digestDeps } = await world();
    const first = await runDigest(digestDeps);
    const again = await runDigest(digestDeps);
    expect(again).toEqual({ id: first.id, posted: false, itemsRead: 0 });
    expect(chat.threads().filter((thread) => thread.parent.channel === '#exec-digest')).toHaveLength(1);
  });

  it('reads the same number of items whether the table holds nothing or 20,000 records outside the window', async () => {
    const empty = await world('digest-empty');
    const full = await world('digest-full');
    for (const w of [empty, full]) await w.deliver(pagerDutyIncidentScenario({ incidentId: 'QFLAT1', start: new Date('2026-11-24T02:00:00Z') }));
    // The read window runs from the start of the month (1 Nov 00:00 New York = 04:00Z; earlier than
    // the previous period) to the period's end (24 Nov 09:00 New York = 14:00Z). Records start
    // five minutes either side, in the same day partitions.
    await seedHistory(full.table.db, full.table.tableName, 20_000, { before: new Date('2026-11-01T04:00:00Z'), after: new Date('2026-11-24T14:00:00Z') });

    const a = await runDigest(empty.digestDeps);
    const b = await runDigest(full.digestDeps);

    expect(a.itemsRead).toBeGreaterThan(0);
    expect(b.itemsRead).toBe(a.itemsRead);
    expect(full.digestText()).toBe(empty.digestText());
  }, 240_000);
});
