import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DynamoStore } from '../../functions/adapters/dynamo-store';
import { EnvSecrets } from '../../functions/adapters/env-secrets';
import { LocalBus } from '../../functions/adapters/local-bus';
import type { CanonicalEvent } from '../../functions/core/canonical-event';
import { routes } from '../../functions/core/routing';
import { handleApplicationEvent } from '../../functions/history/application-history';
import { type IngestDeps, ingestWebhook } from '../../functions/ingest/ingest';
import { greenhouseAndAshbyScenario } from '../../local/scenarios/delivery-and-hiring';
import { type ScenarioDelivery, signers } from '../../local/scenarios/signers';
import { freshTable } from '../support/dynamo';

const run = promisify(execFile);
const NOW = new Date('2026-11-24T09:00:00Z');
const SECRETS = {
  GREENHOUSE_WEBHOOK_SECRET: 'fake-greenhouse-secret-for-tests',
  ASHBY_WEBHOOK_SECRET: 'fake-ashby-secret-for-tests',
};
const DAY_S = 86_400;

/** Ingest → local bus → hiring worker, on a fresh DynamoDB Local table. */
async function setup(hiringRetentionDays = 180) {
  const table = await freshTable('hiring');
  const store = new DynamoStore(table.db, table.tableName);
  const recorded: CanonicalEvent[] = [];
  const clock = { now: () => NOW };
  const bus = new LocalBus(
    routes,
    {
      incident: async () => {},
      approval: async () => {},
      escalation: async () => {},
      answer: async () => {},
      history: async (event) => {
        recorded.push(await handleApplicationEvent(event, { store, clock, retentionDays: hiringRetentionDays }));
      },
    },
    { retryDelaysMs: [] },
  );
  const deps: IngestDeps = { store, bus, secrets: new EnvSecrets(SECRETS), clock, maxBodyBytes: 1 << 20, hiringRetentionDays };
  /** Delivers in order, each one fully handled before the next, as a sender's sequence would be. */
  const deliver = async (deliveries: ScenarioDelivery[]) => {
    for (const delivery of deliveries) {
      const signer = signers[delivery.source];
      if (!signer) throw new Error(`no signer for ${delivery.source}`);
      const signed = signer(delivery, SECRETS[`${delivery.source.toUpperCase()}_WEBHOOK_SECRET` as keyof typeof SECRETS], NOW);
      const response = await ingestWebhook(delivery.source, { method: 'POST', headers: signed.headers, body: Buffer.from(signed.body) }, deps);
      expect(response.status, JSON.stringify(response.body)).toBe(202);
      await bus.drain();
    }
  };
  return { table, store, recorded, deliver, bus };
}

describe('hiring history', () => {
  it('derives the previous stage Greenhouse does not send from the last recorded stage', async () => {
    const { recorded, deliver } = await setup();
    const [onsite, offer] = greenhouseAndAshbyScenario(NOW);
    if (!onsite || !offer) throw new Error('scenario too short');
    await deliver([onsite, offer]);

    expect(recorded.map((event) => [event.facts.fromStage, event.facts.toStage])).toEqual([
      [null, 'Onsite Interview'],
      ['Onsite Interview', 'Offer'],
    ]);
    expect(recorded[1]?.facts.fromStageDerived).toBe(true);
    // Entered onsite 120 min before now, moved to offer 60 min before now.
    expect(recorded[1]?.facts.timeInPreviousStageMs).toBe(60 * 60_000);
    expect(recorded[0]?.facts.timeInPreviousStageMs).toBeUndefined();
  });

  it('derives from the stage recorded before it in time, even when deliveries arrive out of order', async () => {
    const { recorded, deliver } = await setup();
    const [onsite, offer] = greenhouseAndAshbyScenario(NOW);
    if (!onsite || !offer) throw new Error('scenario too short');
    await deliver([offer, onsite]);
    // The offer move arrived first with nothing before it; the onsite move has nothing before it either.
    expect(recorded.map((event) => event.facts.fromStage)).toEqual([null, null]);
  });

  it('keeps a source-sent previous stage as sent', async () => {
    const { recorded, deliver } = await setup();
    const ashbyStage = greenhouseAndAshbyScenario(NOW)[2];
    if (!ashbyStage) throw new Error('scenario too short');
    await deliver([ashbyStage]);
    expect(recorded[0]?.facts).toMatchObject({ fromStage: 'Onsite', toStage: 'Offer' });
    expect(recorded[0]?.facts.fromStageDerived).toBeUndefined();
  });

  it('puts the configured retention on application records and never keeps a candidate delivery longer', async () => {
    const { table, deliver } = await setup(7);
    await deliver(greenhouseAndAshbyScenario(NOW).slice(0, 1));
    const items = await table.items();
    const nowS = NOW.getTime() / 1000;
    expect(items.map((item) => [String(item.pk).split('#')[0], item.expiresAt])).toEqual(
      expect.arrayContaining([
        ['APPLICATION', nowS + 7 * DAY_S],
        ['DELIVERY', nowS + 7 * DAY_S],
      ]),
    );
    expect(items).toHaveLength(2);
  });

  it('defaults to 180 days for application records and 30 for deliveries', async () => {
    const { table, deliver } = await setup();
    await deliver(greenhouseAndAshbyScenario(NOW).slice(0, 1));
    const expiry = Object.fromEntries((await table.items()).map((item) => [String(item.pk).split('#')[0], item.expiresAt]));
    expect(expiry).toEqual({ APPLICATION: NOW.getTime() / 1000 + 180 * DAY_S, DELIVERY: NOW.getTime() / 1000 + 30 * DAY_S });
  });

  it('stores no contact details anywhere, though the webhooks carried them', async () => {
    const { table, deliver } = await setup();
    await deliver(greenhouseAndAshbyScenario(NOW));
    const stored = JSON.stringify(await table.items());
    for (const personal of ['marisol.q@example.net', '415-555-0173', '12 Example Street', 'tobias@example.com', '7946 0958', 'linkedin.example.com']) {
      expect(stored).not.toContain(personal);
    }
  });
});

describe('forgetting a candidate (GDPR erasure)', () => {
  it('deletes every record about the candidate, including an offer that named only the application, and nothing else', async () => {
    const { table, store, deliver } = await setup();
    const deliveries = greenhouseAndAshbyScenario(NOW);
    await deliver(deliveries);
    const before = await table.items();
    const ashbyCandidate = JSON.parse(deliveries[2]?.body ?? '{}').data.application.candidate.id as string;

    // The Ashby offer carried no candidate id; recording it tagged it and its delivery.
    const offerDelivery = before.find((item) => item.pk === `DELIVERY#ashby#${deliveries[3]?.deliveryId}:offerCreate`);
    expect(offerDelivery?.candidateKey).toBe(`ashby:${ashbyCandidate}`);

    const deleted = await store.forgetCandidate(`ashby:${ashbyCandidate}`);
    expect(deleted.map((key) => key.pk.split('#')[0])).toEqual(['APPLICATION', 'APPLICATION', 'DELIVERY', 'DELIVERY']);
    const after = await table.items();
    expect(after).toHaveLength(before.length - 4);
    expect(JSON.stringify(after)).not.toContain(ashbyCandidate);
    // The Greenhouse candidate's records are untouched.
    expect(after.filter((item) => String(item.candidateKey).startsWith('greenhouse:'))).toHaveLength(4);

    expect(await store.forgetCandidate(`ashby:${ashbyCandidate}`)).toEqual([]);
  });

  it('npm run forget reports what it deleted, and names the problem with bad arguments', async () => {
    const { table, deliver } = await setup();
    const deliveries = greenhouseAndAshbyScenario(NOW).slice(0, 2);
    await deliver(deliveries);
    const candidateId = JSON.parse(deliveries[0]?.body ?? '{}').payload.application.candidate.id as string;
    const env = { ...process.env, DYNAMODB_ENDPOINT: table.endpoint, TABLE_NAME: table.tableName };

    const { stdout } = await run('npx', ['tsx', 'scripts/forget.ts', '--candidate', `greenhouse:${candidateId}`], { env, timeout: 60_000 });
    expect(stdout).toContain('Deleted 4 record(s): 2 application, 2 delivery');
    expect(await table.items()).toEqual([]);

    const bad = await run('npx', ['tsx', 'scripts/forget.ts', '--candidate', 'workday:123'], { env, timeout: 60_000 }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown source "workday"') });
    const missing = await run('npx', ['tsx', 'scripts/forget.ts', '--candidate', 'greenhouse'], { env, timeout: 60_000 }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining('<source>:<candidateId>') });
  }, 120_000);
});
