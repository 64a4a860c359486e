import { createDocumentClient } from '../functions/adapters/dynamo-client';
import { startDynamoDbLocal } from '../local/dynamodb-local';
import { attentionGroups } from './bench/attention';
import { benchBriefLatency } from './bench/brief-latency';
import { benchBusJournal } from './bench/bus-journal';
import { benchCost } from './bench/cost';
import { benchDigest } from './bench/digest';
import { type BenchReport, type Figure, formatTable, machine, writeReport } from './bench/figures';
import { benchIngest } from './bench/ingest';
import { deployedApp } from './bench/functions';
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
  // Every function and secret as the CDK app declares them: new ones are measured without a change here.
  const app = deployedApp();
  // DYNAMODB_ENDPOINT (a running DynamoDB Local) spares a JVM start; every group makes its own table.
  const shared = process.env.DYNAMODB_ENDPOINT;
  const dynamo = shared ? { endpoint: shared, stop: async () => {} } : await startDynamoDbLocal();
  const db = createDocumentClient({ endpoint: dynamo.endpoint });
  const figures: Figure[] = [];
  const failed: string[] = [];
  let profile: UsageProfile = {};
  // `npm run bench -- init cost`: only the groups whose names start with one of the words (a partial
  // run for development), and the groups those need: cost prices the writer's tokens and the init times.
  const only = process.argv.slice(2);
  const needs: Record<string, string[]> = { cost: ['writer', 'init and bundles'] };
  const chosen = (name: string): boolean =>
    only.length === 0 || only.some((word) => name.startsWith(word)) || Object.entries(needs).some(([group, wants]) => wants.includes(name) && chosen(group));
  const group = async (name: string, run: () => Promise<Figure[]>) => {
    if (!chosen(name)) return;
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
    await group('Slack interactions', () => {
      const interactions = app.functions.find((f) => f.entry === 'functions/approvals/interactions-handler.ts');
      if (!interactions) throw new Error('the app declares no interactions function');
      return benchInteractions(dynamo.endpoint, interactions);
    });
    await group('init and bundles', () => benchInit(app.functions));
    await group('writer', async () => {
      const result = await benchWriter(db);
      profile = result.profile;
      return result.figures;
    });
    await group('cost', () => {
      const initMs: Record<string, number> = {};
      for (const f of figures) {
        const fn = /^init\.(.+)\.ratio$/.exec(f.id)?.[1];
        if (fn && f.floor !== undefined) initMs[fn] = Math.max(0, f.value - f.floor);
      }
      return benchCost(dynamo.endpoint, profile, initMs, app);
    });
    await group('memory (1,000-webhook load run)', () => benchMemory(dynamo.endpoint));
    await group('digest', () => benchDigest(db));
    for (const [name, run] of attentionGroups(dynamo.endpoint, db)) await group(name, run);
  } finally {
    db.destroy();
    await dynamo.stop();
  }
  const report: BenchReport = { date: new Date().toISOString(), machine: machine(), figures };
  // A partial run never replaces the full report.
  const written = only.length > 0 ? '.bench/partial.json' : '.bench/latest.json';
  writeReport(report, written);
  console.log(formatTable(report));
  console.log(`\nwritten to ${written} in ${((Date.now() - started) / 1000).toFixed(0)} s${failed.length > 0 ? `; FAILED: ${failed.join(', ')}` : ''}`);
  if (failed.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
