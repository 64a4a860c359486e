import { randomUUID } from 'node:crypto';
import { startDynamoDbLocal } from '../local/dynamodb-local';
import { type ScenarioDelivery, pagerDutyIncidentScenario } from '../local/scenarios/pagerduty-incident';
import { sendDelivery } from '../local/scenarios/send';
import { type LocalProcess, startLocalProcess } from '../local/spawn-local';

/**
 * `npm run bench`: figures for the local runtime, printed, never asserted.
 * - time from process start to "listening on", with npm start spawning its own DynamoDB Local
 *   and, side by side, with DYNAMODB_ENDPOINT pointing at one already running;
 * - ingest latency p50/p99 over loopback for new deliveries and for redeliveries, measured
 *   in the same run so their ratio is meaningful on a noisy machine.
 * Only 127.0.0.1 is contacted; every loop is bounded.
 */
const SECRET = 'fake-pagerduty-secret-for-bench';
const STARTS = Number(process.env.BENCH_STARTS ?? 3);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

/** Starts `npm start` as a child process and times it to its "listening on" line. */
async function startService(env: Record<string, string> = {}): Promise<{ service: LocalProcess; startupMs: number }> {
  const started = performance.now();
  const service = await startLocalProcess({
    DYNAMODB_ENDPOINT: '',
    PAGERDUTY_WEBHOOK_SECRET: SECRET,
    SLACK_BOT_TOKEN: '',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    ...env,
  });
  return { service, startupMs: performance.now() - started };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function measure(url: string, deliveries: ScenarioDelivery[]): Promise<{ p50: number; p99: number; max: number; rps: number; statuses: string }> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < deliveries.length) {
        const delivery = deliveries[next++] as ScenarioDelivery;
        const result = await sendDelivery(url, delivery, SECRET);
        latencies.push(result.ms);
        statuses.set(result.status, (statuses.get(result.status) ?? 0) + 1);
      }
    }),
  );
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
    rps: (deliveries.length / elapsed) * 1000,
    statuses: [...statuses].map(([status, count]) => `${status}×${count}`).join(' '),
  };
}

async function timeStarts(env: () => Record<string, string>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    const { service, startupMs } = await startService(env());
    times.push(startupMs);
    await service.stop();
  }
  return times.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  // Side by side: npm start spawning its own DynamoDB Local, and npm start given an
  // already-running one through DYNAMODB_ENDPOINT (a fresh table each time).
  const spawning = await timeStarts(() => ({}));
  const shared = await startDynamoDbLocal();
  let external: number[];
  try {
    external = await timeStarts(() => ({ DYNAMODB_ENDPOINT: shared.endpoint, TABLE_NAME: `bench-${randomUUID()}` }));
  } finally {
    await shared.stop();
  }
  const line = (name: string, t: number[]) =>
    `${name.padEnd(36)} median ${percentile(t, 50).toFixed(0).padStart(5)} ms   min ${t[0]?.toFixed(0)} ms   max ${t.at(-1)?.toFixed(0)} ms`;
  console.log(`startup to "listening", ${STARTS} runs each:`);
  console.log(line('spawning DynamoDB Local (default)', spawning));
  console.log(line('DYNAMODB_ENDPOINT already running', external));
  console.log(`ratio spawning/external median: ${(percentile(spawning, 50) / percentile(external, 50)).toFixed(2)}`);

  const { service } = await startService();
  try {
    // Each scenario is a 7-event incident; the bus posts briefs in the background meanwhile.
    const fresh: ScenarioDelivery[] = [];
    for (let i = 0; fresh.length < REQUESTS; i++) fresh.push(...pagerDutyIncidentScenario({ incidentId: `QBENCH${i}` }));
    fresh.length = REQUESTS;
    await measure(service.url, fresh.slice(0, 20).map((d) => ({ ...d, deliveryId: `warmup-${d.deliveryId}` })));
    const newRun = await measure(service.url, fresh);
    const dupRun = await measure(service.url, fresh);
    const row = (name: string, r: typeof newRun) =>
      `${name.padEnd(14)} p50 ${r.p50.toFixed(2).padStart(7)} ms   p99 ${r.p99.toFixed(2).padStart(7)} ms   max ${r.max.toFixed(1).padStart(6)} ms   ${r.rps.toFixed(0).padStart(5)} req/s   ${r.statuses}`;
    console.log(`ingest over loopback, ${REQUESTS} requests, ${CONCURRENCY} in flight:`);
    console.log(row('new delivery', newRun));
    console.log(row('redelivery', dupRun));
    console.log(`ratio new/redelivery p50: ${(newRun.p50 / dupRun.p50).toFixed(2)}`);
  } finally {
    await service.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
