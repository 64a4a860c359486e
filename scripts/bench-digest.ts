import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../functions/adapters/dynamo-client';
import { DynamoApprovalStore } from '../functions/adapters/dynamo-approvals';
import { DynamoStore } from '../functions/adapters/dynamo-store';
import { createTableIfMissing } from '../functions/adapters/dynamo-table';
import { InboxChat } from '../functions/adapters/inbox-chat';
import { tableDefinition as t } from '../functions/core/table-definition';
import { loadDigestConfig } from '../functions/digest/digest-config';
import { type DigestDeps, runDigest } from '../functions/digest/digest-runner';
import { handleIncidentEvent } from '../functions/incidents/incident-worker';
import { pagerDutySource } from '../functions/sources/pagerduty';
import { TemplateWriter } from '../functions/writer/template-writer';
import { startDynamoDbLocal } from '../local/dynamodb-local';
import { pagerDutyIncidentScenario } from '../local/scenarios/pagerduty-incident';
import { seedHistory } from '../local/seed-history';
import { createOutbox } from '../functions/outbox/create-outbox';

/**
 * `npm run bench:digest`: the digest's run time and items read with 1,000 and with 100,000
 * records stored outside its window, measured side by side on one DynamoDB Local. The same
 * night (one incident lifecycle) is inside the window on both tables. Printed, never asserted.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SIZES = (process.env.BENCH_DIGEST_SIZES ?? '1000,100000').split(',').map(Number);
const NOW = new Date('2026-11-24T14:30:00Z');

async function main(): Promise<void> {
  const dynamo = await startDynamoDbLocal();
  const db = createDocumentClient({ endpoint: dynamo.endpoint });
  try {
    const tables: { size: number; tableName: string; deps: DigestDeps; seededMs: number; times: number[]; itemsRead: number }[] = [];
    for (const size of SIZES) {
      const tableName = `bench-digest-${size}-${Date.now()}`;
      await createTableIfMissing(db, tableName);
      const store = new DynamoStore(db, tableName);
      const chat = new InboxChat(() => NOW);
      const clock = { now: () => NOW };
      const writer = new TemplateWriter();
      const { outbox } = createOutbox(db, tableName, chat, () => {});
      for (const delivery of pagerDutyIncidentScenario({ incidentId: 'QBENCH1', start: new Date('2026-11-24T02:00:00Z') })) {
        const normalized = pagerDutySource.normalize(JSON.parse(delivery.body), delivery.deliveryId);
        if (normalized.ignored) continue;
        for (const event of normalized.events) await handleIncidentEvent(event, { store, outbox, writer, clock, channel: '#incidents' });
      }
      const seeding = performance.now();
      await seedHistory(db, tableName, size, { before: new Date('2026-11-01T04:00:00Z'), after: new Date('2026-11-24T14:00:00Z') });
      const deps: DigestDeps = { store, approvals: new DynamoApprovalStore(db, tableName), ledger: store, writer, outbox, clock, config: loadDigestConfig({}) };
      tables.push({ size, tableName, deps, seededMs: performance.now() - seeding, times: [], itemsRead: 0 });
    }
    // Runs alternate between the tables so warm-up and machine noise fall on both alike;
    // round 0 warms the JIT and the connection pool and is not counted.
    for (let round = 0; round <= RUNS; round += 1) {
      for (const table of tables) {
        // Each run writes the same period afresh: forget the previous digest first.
        for (const pk of ['DIGEST#2026-11-24T09:00', 'DIGEST#LAST']) {
          await db.send(new DeleteCommand({ TableName: table.tableName, Key: { [t.partitionKey]: pk, [t.sortKey]: pk === 'DIGEST#LAST' ? 'POINTER' : 'DIGEST' } }));
        }
        const started = performance.now();
        const outcome = await runDigest(table.deps);
        if (round > 0) table.times.push(performance.now() - started);
        table.itemsRead = outcome.itemsRead;
      }
    }
    const rows = tables.map(({ size, times, itemsRead, seededMs }) => {
      times.sort((a, b) => a - b);
      const median = times[Math.floor(times.length / 2)] ?? Number.NaN;
      return `${String(size).padStart(7)} records outside the window   digest median ${median.toFixed(1).padStart(6)} ms   min ${(times[0] ?? 0).toFixed(1)} ms   max ${(times.at(-1) ?? 0).toFixed(1)} ms   items read ${itemsRead}   (seeded in ${(seededMs / 1000).toFixed(1)} s)`;
    });
    console.log(`digest run time, ${RUNS} runs each, DynamoDB Local on 127.0.0.1:`);
    for (const row of rows) console.log(row);
  } finally {
    db.destroy();
    await dynamo.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`bench:digest failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
