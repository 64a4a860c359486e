import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, LOCAL_INGEST_DYNAMO_LIMITS } from '../../functions/adapters/dynamo-client';
import { DynamoBusJournal } from '../../functions/adapters/dynamo-bus-journal';
import { DynamoStore } from '../../functions/adapters/dynamo-store';
import { createTableIfMissing } from '../../functions/adapters/dynamo-table';
import { EnvSecrets } from '../../functions/adapters/env-secrets';
import { LocalBus } from '../../functions/adapters/local-bus';
import { routes } from '../../functions/core/routing';
import { type IngestDeps, ingestWebhook } from '../../functions/ingest/ingest';
import { systemClock } from '../../functions/ports/clock';
import { signPagerDutyBody } from '../../functions/sources/pagerduty/verify';
import { startDynamoDbLocal } from '../../local/dynamodb-local';
import { pagerDutyIncidentScenario } from '../../local/scenarios/pagerduty-incident';
import { alternate, type Figure, percentile, round } from './figures';

const SECRET = 'fake-pagerduty-secret-for-bench-journal';
const ROUNDS = Number(process.env.BENCH_JOURNAL_ROUNDS ?? 200);

/**
 * What the local bus's journal costs on the ingest path: a new signed delivery through ingest
 * with the journaled local bus against the same without a journal (the floor), alternating,
 * workers doing nothing; and one conditional put on DynamoDB Local on disk against in memory
 * (what `npm start` now does by default against what it did before).
 */
export async function benchBusJournal(dynamoEndpoint: string): Promise<Figure[]> {
  const db = createDocumentClient({ endpoint: dynamoEndpoint, limits: LOCAL_INGEST_DYNAMO_LIMITS });
  const tableName = `bench-journal-${Date.now()}`;
  await createTableIfMissing(db, tableName);
  const idle = async () => {};
  const workers = { incident: idle, history: idle, approval: idle, escalation: idle, answer: idle };
  const deps = (bus: LocalBus): IngestDeps => ({
    store: new DynamoStore(db, tableName),
    bus,
    secrets: new EnvSecrets({ PAGERDUTY_WEBHOOK_SECRET: SECRET }),
    clock: systemClock,
    maxBodyBytes: 1024 * 1024,
  });
  const journaled = deps(new LocalBus(routes, workers, { journal: new DynamoBusJournal(db, tableName) }));
  const bare = deps(new LocalBus(routes, workers));
  const requests = Array.from({ length: 2 * (ROUNDS + 20) }, (_, i) => {
    const [delivery] = pagerDutyIncidentScenario({ incidentId: `QJB${i}`, number: 8000 + i });
    if (!delivery) throw new Error('empty scenario');
    return {
      method: 'POST',
      headers: { 'x-webhook-id': `journal-bench-${i}`, 'x-pagerduty-signature': signPagerDutyBody(delivery.body, [SECRET]) },
      body: Buffer.from(delivery.body),
    };
  });
  let failures = 0;
  const send = (which: IngestDeps) => async (i: number) => {
    const response = await ingestWebhook('pagerduty', requests[i] as (typeof requests)[number], which);
    if (response.status !== 202) failures += 1;
  };
  const disk = await startDynamoDbLocal({ dataDir: mkdtempSync(join(tmpdir(), 'bench-journal-disk-')) });
  const diskDb = createDocumentClient({ endpoint: disk.endpoint });
  try {
    await alternate(20, send(journaled), (i) => send(bare)(i + 20));
    const timed = await alternate(
      ROUNDS,
      (i) => send(journaled)(40 + i),
      (i) => send(bare)(40 + ROUNDS + i),
    );
    if (failures > 0) throw new Error(`ingest answered other than 202 ${failures} times`);
    await createTableIfMissing(diskDb, tableName);
    const put = (client: typeof db) => (i: number) =>
      client
        .send(
          new PutCommand({ TableName: tableName, Item: { pk: `PUT#${i}`, sk: 'x', body: 'x'.repeat(2000) }, ConditionExpression: 'attribute_not_exists(pk)' }),
        )
        .then(() => undefined);
    await alternate(20, put(diskDb), put(db));
    const puts = await alternate(
      ROUNDS,
      (i) => put(diskDb)(100 + i),
      (i) => put(db)(100 + i),
    );
    const ratio = (a: number[], b: number[], p: number) => ({
      value: round(percentile(a, p)),
      floor: round(percentile(b, p)),
      ratio: round(percentile(a, p) / percentile(b, p)),
    });
    return [
      {
        id: 'journal.ingest.p50.ratio',
        label: `new delivery through ingest, journaled local bus vs the same bus without a journal, p50 of ${ROUNDS} alternating (ms)`,
        unit: 'ms',
        better: 'lower',
        ...ratio(timed.a, timed.b, 50),
      },
      { id: 'journal.ingest.p99.ratio', label: 'the same, p99 (ms)', unit: 'ms', better: 'lower', ...ratio(timed.a, timed.b, 99) },
      {
        id: 'dynamodb_local.disk_put.p50.ratio',
        label: `a conditional put, DynamoDB Local on disk vs in memory, p50 of ${ROUNDS} alternating (ms)`,
        unit: 'ms',
        better: 'lower',
        ...ratio(puts.a, puts.b, 50),
      },
      { id: 'dynamodb_local.disk_put.p99.ratio', label: 'the same, p99 (ms)', unit: 'ms', better: 'lower', ...ratio(puts.a, puts.b, 99) },
    ];
  } finally {
    db.destroy();
    diskDb.destroy();
    await disk.stop();
    if (disk.dataDir) rmSync(disk.dataDir, { recursive: true, force: true });
  }
}
