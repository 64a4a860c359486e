import { createDocumentClient } from '../functions/adapters/dynamo-client';
import { startDynamoDbLocal } from '../local/dynamodb-local';
import { benchBriefLatency } from './bench/brief-latency';
import { benchBusJournal } from './bench/bus-journal';
import { benchCost } from './bench/cost';
import { benchDigest } from './bench/digest';
import { type BenchReport, type Figure, formatTable, machine, writeReport } from './bench/figures';
import { benchIngest } from './bench/ingest';
import { benchInit } from './bench/init';
import { benchInteractions } from './bench/interactions';
import { benchMemory } from './bench/memory';
import { benchWriter, type UsageProfile } from './bench/writer';

/**
 * `npm run bench`: every hot path against the least work it could do, measured side by side
 * (alternating) in one run, plus what the service costs an organisation. Prints a table and
 * writes `.bench/latest.json`. Only 127.0.0.1 is contacted; every loop is bounded. One
 * DynamoDB Local serves every group (a fresh table each). Figures are never asserted.
 */
async function main(): Promise<void> {
  const started = Date.now();
  const dynamo = await startDynamoDbLocal();
  const db = createDocumentClient({ endpoint: dynamo.endpoint });
  const figures: Figure[] = [];
  const failed: string[] = [];
  let profile: UsageProfile = {};
  const group = async (name: string, run: () => Promise<Figure[]>) => {
    const at = Date.now();
    try {
      figures.push(...(await run()));
      console.error(`bench: ${name} done in ${((Date.now() - at) / 1000).toFixed(0)} s`);
    } catch (error) {
      failed.push(name);
      console.error(`bench: ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  };
  try {
    await group('ingest', () => benchIngest(dynamo.endpoint));
    await group('local bus journal', () => benchBusJournal(dynamo.endpoint));
    await group('brief latency', () => benchBriefLatency(dynamo.endpoint));
    await group('Slack interactions', () => benchInteractions(dynamo.endpoint));
    await group('init and bundles', () => benchInit());
    await group('writer', async () => {
      const result = await benchWriter(db);
      profile = result.profile;
      return result.figures;
    });
    await group('cost', () => {
      const initMs: Record<string, number> = {};
      const names: Record<string, string> = { ingest: 'ingest', incidents: 'incident', history: 'history', 'approvals-worker': 'approval', 'approvals-expiry': 'expiry', digest: 'digest' };
      for (const f of figures) {
        const fn = names[/^init\.(.+)\.ratio$/.exec(f.id)?.[1] ?? ''];
        if (fn && f.floor !== undefined) initMs[fn] = Math.max(0, f.value - f.floor);
      }
      return benchCost(dynamo.endpoint, profile, initMs);
    });
    await group('memory (1,000-webhook load run)', () => benchMemory(dynamo.endpoint));
    await group('digest', () => benchDigest(db));
  } finally {
    db.destroy();
    await dynamo.stop();
  }
  const report: BenchReport = { date: new Date().toISOString(), machine: machine(), figures };
  writeReport(report);
  console.log(formatTable(report));
  console.log(`\nwritten to .bench/latest.json in ${((Date.now() - started) / 1000).toFixed(0)} s${failed.length > 0 ? `; FAILED: ${failed.join(', ')}` : ''}`);
  if (failed.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
