import { spawn } from 'node:child_process';
import { pagerDutyIncidentScenario, type ScenarioDelivery } from '../local/scenarios/pagerduty-incident';
import { sendDelivery } from '../local/scenarios/send';

/**
 * `npm run bench`: figures for the local runtime, printed, never asserted.
 * - time from process start to "listening on" (npm start's own DynamoDB Local included);
 * - ingest latency p50/p99 over loopback for new deliveries and for redeliveries, measured
 *   in the same run so their ratio is meaningful on a noisy machine.
 * Only 127.0.0.1 is contacted; every loop is bounded.
 */
const SECRET = 'fake-pagerduty-secret-for-bench';
const STARTS = Number(process.env.BENCH_STARTS ?? 3);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);

interface Running {
  url: string;
  startupMs: number;
  stop(): Promise<void>;
}

async function startService(): Promise<Running> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/main.ts'], {
    env: { ...process.env, PORT: '0', DYNAMODB_ENDPOINT: '', PAGERDUTY_WEBHOOK_SECRET: SECRET, SLACK_BOT_TOKEN: '', POWERTOOLS_LOG_LEVEL: 'ERROR' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start:\n${output}`)), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`service exited with ${code}:\n${output}`)));
  });
  const startupMs = performance.now() - started;
  return {
    url,
    startupMs,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
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

async function main(): Promise<void> {
  const startups: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    const service = await startService();
    startups.push(service.startupMs);
    await service.stop();
  }
  startups.sort((a, b) => a - b);
  console.log(`startup to "listening" (spawning DynamoDB Local), ${STARTS} runs: median ${percentile(startups, 50).toFixed(0)} ms, min ${startups[0]?.toFixed(0)} ms, max ${startups.at(-1)?.toFixed(0)} ms`);

  const service = await startService();
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
