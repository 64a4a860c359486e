import { incidentAttentionStores } from '../../functions/adapters/dynamo-attention';
import { DynamoWriteClaims } from '../../functions/adapters/dynamo-write-claims';
import { type DynamoDBDocumentClient, DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoApprovalStore } from '../../functions/adapters/dynamo-approvals';
import { DynamoStore } from '../../functions/adapters/dynamo-store';
import { createTableIfMissing } from '../../functions/adapters/dynamo-table';
import { InboxChat } from '../../functions/adapters/inbox-chat';
import { tableDefinition as t } from '../../functions/core/table-definition';
import { loadDigestConfig } from '../../functions/digest/digest-config';
import { type DigestDeps, runDigest } from '../../functions/digest/digest-runner';
import { handleIncidentEvent } from '../../functions/incidents/incident-worker';
import { createOutbox } from '../../functions/outbox/create-outbox';
import { ChannelPacer } from '../../functions/outbox/pacer';
import { pagerDutySource } from '../../functions/sources/pagerduty';
import { TemplateWriter } from '../../functions/writer/template-writer';
import { pagerDutyIncidentScenario } from '../../local/scenarios/pagerduty-incident';
import { seedHistory } from '../../local/seed-history';
import { alternate, type Figure, percentile, round } from './figures';

const RUNS = Number(process.env.BENCH_DIGEST_RUNS ?? 5);
const SIZES = (process.env.BENCH_DIGEST_SIZES ?? '1000,100000').split(',').map(Number);
const NOW = new Date('2026-11-24T14:30:00Z');

/**
 * digest.items.ratio (was `npm run bench:digest`): items the digest reads with 100,000
 * against 1,000 records stored outside its window, the same night inside it on both tables;
 * and its run time on each, alternating.
 */
export async function benchDigest(db: DynamoDBDocumentClient): Promise<Figure[]> {
  const [small, large] = SIZES as [number, number];
  const tables: { size: number; tableName: string; deps: DigestDeps; itemsRead: number }[] = [];
  for (const size of [small, large]) {
    const tableName = `bench-digest-${size}-${Date.now()}`;
    await createTableIfMissing(db, tableName);
    const store = new DynamoStore(db, tableName);
    const chat = new InboxChat(() => NOW);
    const { outbox } = createOutbox(db, tableName, chat, () => {}, { pacer: new ChannelPacer(1) });
    const clock = { now: () => NOW };
    const writer = new TemplateWriter();
    for (const delivery of pagerDutyIncidentScenario({ incidentId: 'QBENCH1', start: new Date('2026-11-24T02:00:00Z') })) {
      const normalized = pagerDutySource.normalize(JSON.parse(delivery.body), delivery.deliveryId);
      if (normalized.ignored) continue;
      for (const event of normalized.events)
        await handleIncidentEvent(event, { store, outbox, writer, clock, channel: '#incidents', ...incidentAttentionStores(db, tableName) });
    }
    await seedHistory(db, tableName, size, { before: new Date('2026-11-01T04:00:00Z'), after: new Date('2026-11-24T14:00:00Z') });
    const deps: DigestDeps = {
      store,
      approvals: new DynamoApprovalStore(db, tableName),
      ledger: store,
      claims: new DynamoWriteClaims(db, tableName),
      writer,
      outbox,
      clock,
      config: loadDigestConfig({}),
    };
    tables.push({ size, tableName, deps, itemsRead: 0 });
  }
  const run = async (table: (typeof tables)[number]) => {
    // Each run writes the same period afresh: forget the previous digest first.
    for (const pk of ['DIGEST#2026-11-24T09:00', 'DIGEST#LAST']) {
      await db.send(new DeleteCommand({ TableName: table.tableName, Key: { [t.partitionKey]: pk, [t.sortKey]: pk === 'DIGEST#LAST' ? 'POINTER' : 'DIGEST' } }));
    }
    table.itemsRead = (await runDigest(table.deps)).itemsRead;
  };
  const [a, b] = tables as [(typeof tables)[number], (typeof tables)[number]];
  await alternate(
    1,
    () => run(a),
    () => run(b),
  ); // warm-up
  const times = await alternate(
    RUNS,
    () => run(a),
    () => run(b),
  );
  return [
    {
      id: 'digest.items.ratio',
      label: `items the digest reads with ${large.toLocaleString('en')} vs ${small.toLocaleString('en')} records outside its window`,
      value: b.itemsRead,
      unit: 'items',
      floor: a.itemsRead,
      ratio: round(b.itemsRead / a.itemsRead, 3),
      target: 1,
      better: 'lower',
    },
    {
      id: 'digest.run.ratio',
      label: `digest run time with ${large.toLocaleString('en')} vs ${small.toLocaleString('en')} records outside its window, median of ${RUNS} (ms)`,
      value: round(percentile(times.b, 50), 1),
      unit: 'ms',
      floor: round(percentile(times.a, 50), 1),
      ratio: round(percentile(times.b, 50) / percentile(times.a, 50)),
      better: 'lower',
    },
  ];
}
