import { describeLoad, runLoad } from '../load/run-load';
import { type Figure, round } from './figures';

/**
 * memory.peak_mb: peak resident memory (VmHWM) of the npm start process during the
 * 1,000-webhook load run of `npm run load` (its DynamoDB Local is a separate process, reported
 * in the label); the run's own throughput and latency come with it.
 */
export async function benchMemory(dynamoEndpoint: string): Promise<Figure[]> {
  const report = await runLoad({ total: Number(process.env.BENCH_LOAD_TOTAL ?? 1000), concurrency: 16, dynamoEndpoint, tableName: `bench-load-${Date.now()}` });
  console.log(describeLoad(report));
  const faults =
    report.serverErrors > 0 || report.problems.length > 0 ? `; ${report.serverErrors} 5xx, ${report.problems.length} Slack problems` : '; no 5xx, Slack exact';
  return [
    {
      id: 'memory.peak_mb',
      label: `peak RSS of npm start during ${report.sent} webhooks (30% redeliveries, 16 in flight)${faults}`,
      value: round(report.peakRssMb.service, 0),
      unit: 'MB',
      better: 'lower',
    },
    {
      id: 'load.throughput',
      label: `webhooks/s over loopback in that run, all sources, workers in process`,
      value: round(report.throughputPerS, 1),
      unit: 'webhooks/s',
      better: 'higher',
    },
    { id: 'load.latency.p50', label: 'webhook response time in that run, p50', value: round(report.p50Ms, 1), unit: 'ms', better: 'lower' },
    { id: 'load.latency.p99', label: 'webhook response time in that run, p99', value: round(report.p99Ms, 1), unit: 'ms', better: 'lower' },
  ];
}
