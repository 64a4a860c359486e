import { pagerDutyIncidentScenario } from '../../local/scenarios/pagerduty-incident';
import { sendDelivery } from '../../local/scenarios/send';
import { startLocalProcess } from '../../local/spawn-local';
import { startFakeSlack } from '../../test/support/fake-slack';
import { type Figure, percentile, round } from './figures';

const INCIDENTS = Number(process.env.BENCH_BRIEFS ?? 15);
export const SECRET = 'fake-pagerduty-secret-for-bench';
const CHANNEL = 'C0BENCHINC';

/** `npm start` for incidents only: PagerDuty's secret (SECRET), the fake Slack, the template writer, errors logged only. */
export function startIncidentService(options: { dynamoEndpoint: string; tableName: string; slackApiUrl: string; channel: string; stormThreshold?: number }) {
  return startLocalProcess({
    DYNAMODB_ENDPOINT: options.dynamoEndpoint,
    TABLE_NAME: options.tableName,
    PAGERDUTY_WEBHOOK_SECRET: SECRET,
    SLACK_BOT_TOKEN: 'fake-slack-token-for-bench',
    SLACK_API_URL: options.slackApiUrl,
    SLACK_CHANNEL_INCIDENTS: options.channel,
    ANTHROPIC_API_KEY: '',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
    ...(options.stormThreshold ? { INCIDENT_STORM_THRESHOLD: String(options.stormThreshold) } : {}),
  });
}

/**
 * brief.latency.p50/p99: from the start of a signed `incident.triggered` POST to the real npm
 * start process until the fake Slack receives that incident's brief (`chat.postMessage`),
 * template writer. Incidents are sent one at a time, a little over a second apart, so
 * Slack's per-channel pace (one message a second) is not what is measured.
 */
export async function benchBriefLatency(dynamoEndpoint: string): Promise<Figure[]> {
  const slack = await startFakeSlack();
  // Incidents a second apart are a storm by the default rules (more than 5 in 10 min), and a storm's
  // later incidents join one roll-up instead of a brief each: this measures briefs, so no storm.
  const stormThreshold = Math.min(100, INCIDENTS + 3);
  const service = await startIncidentService({
    dynamoEndpoint,
    tableName: `bench-brief-${Date.now()}`,
    slackApiUrl: slack.apiUrl,
    channel: CHANNEL,
    stormThreshold,
  });
  const latencies: number[] = [];
  let missing = 0;
  try {
    for (let i = -2; i < INCIDENTS; i++) {
      const number = 8500 + i + 2;
      const [triggered] = pagerDutyIncidentScenario({ incidentId: `QBRIEF${number}`, number });
      if (!triggered) throw new Error('empty scenario');
      const isBrief = () =>
        slack.calls.some((c) => c.method === 'chat.postMessage' && c.args.thread_ts === undefined && String(c.args.text).includes(`#${number}`));
      const started = performance.now();
      const response = await sendDelivery(service.url, triggered, SECRET);
      if (response.status !== 202) throw new Error(`brief latency: webhook answered ${response.status}`);
      const deadline = started + 15_000;
      while (!isBrief() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
      // The first two are warm-up (JIT, connections).
      if (i >= 0) {
        if (isBrief()) latencies.push(performance.now() - started);
        else missing += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, 1200));
    }
  } finally {
    await service.stop();
    await slack.close();
  }
  const note = missing > 0 ? `; ${missing} briefs not seen within 15 s` : '';
  return [
    {
      id: 'brief.latency.p50',
      label: `webhook POST to the brief's chat.postMessage at a fake Slack, npm start, template writer, ${latencies.length} incidents${note}`,
      value: round(percentile(latencies, 50), 1),
      unit: 'ms',
      target: 1000,
      better: 'lower',
    },
    { id: 'brief.latency.p99', label: 'the same, p99', value: round(percentile(latencies, 99), 1), unit: 'ms', better: 'lower' },
  ];
}
