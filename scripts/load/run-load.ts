import { readFileSync } from 'node:fs';
import { percentileNearestRank } from '../../functions/digest/metrics';
import { sources } from '../../functions/sources/registry';
import { sendDelivery } from '../../local/scenarios/send';
import { type LocalProcess, startLocalProcess } from '../../local/spawn-local';
import { type FakeSlack, startFakeSlack } from '../../test/support/fake-slack';
import { buildLoadPlan, type LoadDelivery, type LoadPlan, REPLIES_PER_INCIDENT } from './mix';

/** One obviously fake secret per source, handed to the service and used to sign. */
export const LOAD_SECRETS: Record<string, string> = Object.fromEntries(sources.map((s) => [s.name, `fake-${s.name}-secret-for-load`]));
const SLACK_TOKEN = 'fake-slack-token-for-load';
export const LOAD_CHANNELS = { incidents: 'C0LOADINC', approvals: 'C0LOADAPP', digest: 'C0LOADDIG' } as const;

export interface SendStats {
  sent: number;
  statuses: Record<string, number>;
  serverErrors: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  throughputPerS: number;
  elapsedMs: number;
  /** Deliveries answered 5xx (or not answered): a real sender would retry them. */
  failed: LoadDelivery[];
}

export interface LoadReport extends SendStats {
  counts: Record<string, number>;
  redeliveries: number;
  /** Peak resident memory of the service process (VmHWM), and of its DynamoDB Local if it spawned one. */
  peakRssMb: { service: number; dynamoDbLocal?: number };
  /** Empty when Slack shows exactly what the plan expects. */
  problems: string[];
  /** Time from the last response until Slack showed every expected message. */
  settleMs: number;
  /** 5xx deliveries sent again once, one at a time, after the run (a sender's retry), and how many then got a 2xx. */
  retries: { sent: number; accepted: number };
  /** The service's error and warning log lines (the first few), to explain any 5xx. */
  serviceErrors: string[];
}

/** Sends every delivery, signed by its vendor's scheme, with `concurrency` in flight. */
export async function sendAll(url: string, deliveries: readonly LoadDelivery[], concurrency: number): Promise<SendStats> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const failed: LoadDelivery[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < deliveries.length) {
        const delivery = deliveries[next++] as LoadDelivery;
        let status: number;
        let ms: number;
        try {
          ({ status, ms } = await sendDelivery(url, delivery, LOAD_SECRETS[delivery.source] ?? ''));
        } catch {
          // A connection error or a 10 s client timeout counts against the service like a 5xx.
          status = 599;
          ms = 10_000;
        }
        latencies.push(ms);
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status >= 500) failed.push(delivery);
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return {
    sent: deliveries.length,
    statuses,
    serverErrors: Object.entries(statuses).reduce((n, [status, count]) => n + (Number(status) >= 500 ? count : 0), 0),
    p50Ms: percentileNearestRank(latencies, 50) ?? Number.NaN,
    p99Ms: percentileNearestRank(latencies, 99) ?? Number.NaN,
    maxMs: latencies.at(-1) ?? Number.NaN,
    throughputPerS: (deliveries.length / elapsedMs) * 1000,
    elapsedMs,
    failed,
  };
}

/** What is wrong with the Slack traffic for this plan: missing or extra briefs, replies or approval requests. */
export function slackProblems(slack: FakeSlack, plan: LoadPlan): string[] {
  const posts = slack.calls.filter((call) => call.method === 'chat.postMessage');
  const problems: string[] = [];
  const briefs = posts.filter((p) => p.args.channel === LOAD_CHANNELS.incidents && p.args.thread_ts === undefined);
  for (const number of plan.expected.incidents) {
    const mine = briefs.filter((p) => String(p.args.text).includes(`#${number}`));
    if (mine.length !== 1) problems.push(`incident #${number}: ${mine.length} briefs, expected 1`);
  }
  if (briefs.length !== plan.expected.incidents.length) problems.push(`${briefs.length} briefs in all, expected ${plan.expected.incidents.length}`);
  // The incident worker's replies, by their outbox id in the message metadata (escalation notices thread here too).
  const documentIdOf = (p: (typeof posts)[number]) =>
    String((p.args.metadata as { event_payload?: { document_id?: string } } | undefined)?.event_payload?.document_id ?? '');
  const replies = posts.filter(
    (p) => p.args.channel === LOAD_CHANNELS.incidents && p.args.thread_ts !== undefined && /^incident:.*:reply:/.test(documentIdOf(p)),
  );
  const perThread = new Map<string, number>();
  for (const reply of replies) perThread.set(String(reply.args.thread_ts), (perThread.get(String(reply.args.thread_ts)) ?? 0) + 1);
  if (perThread.size !== plan.expected.incidents.length) problems.push(`replies in ${perThread.size} threads, expected ${plan.expected.incidents.length}`);
  for (const [thread, count] of perThread) {
    if (count !== REPLIES_PER_INCIDENT) problems.push(`thread ${thread}: ${count} replies, expected ${REPLIES_PER_INCIDENT}`);
  }
  const approvals = posts.filter((p) => p.args.channel === LOAD_CHANNELS.approvals && p.args.thread_ts === undefined);
  if (approvals.length !== plan.expected.approvals) problems.push(`${approvals.length} approval requests, expected ${plan.expected.approvals}`);
  return problems;
}

/** Peak resident set size (VmHWM) of a live process, in MB; undefined when it cannot be read. */
export function peakRssMb(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The pid of the service's DynamoDB Local (its Java child), if it spawned one. */
function javaChild(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    return children.find((child) => readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('java'));
  } catch {
    return undefined;
  }
}

export interface LoadOptions {
  total: number;
  concurrency?: number;
  redeliveryShare?: number;
  seed?: number;
  /** A DynamoDB already running (tests); otherwise npm start spawns its own. */
  dynamoEndpoint?: string;
  tableName?: string;
  /** Bound on waiting for Slack to show every expected message after the last response. */
  settleTimeoutMs?: number;
  env?: Record<string, string>;
}

/**
 * The load run: starts the real `npm start` process (fake Slack on 127.0.0.1 as its Slack),
 * sends the plan with 16 in flight, waits (bounded) for the expected messages, then checks
 * that Slack shows exactly those, and reads the service's peak memory before stopping it.
 */
export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const plan = buildLoadPlan({ total: options.total, redeliveryShare: options.redeliveryShare, seed: options.seed });
  if (plan.expected.incidents.length >= 100)
    throw new Error(
      `the load plan has ${plan.expected.incidents.length} incidents: above INCIDENT_STORM_THRESHOLD's most (100) they form a storm, and the exact check below cannot hold; send fewer webhooks`,
    );
  const slack = await startFakeSlack();
  let service: LocalProcess | undefined;
  try {
    service = await startLocalProcess({
      DYNAMODB_ENDPOINT: options.dynamoEndpoint ?? '',
      // A load run's data is thrown away with it (and never meets a developer's .local/dynamodb).
      LOCAL_DYNAMODB_IN_MEMORY: '1',
      ...(options.tableName ? { TABLE_NAME: options.tableName } : {}),
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_API_URL: slack.apiUrl,
      SLACK_CHANNEL_INCIDENTS: LOAD_CHANNELS.incidents,
      SLACK_CHANNEL_APPROVALS: LOAD_CHANNELS.approvals,
      SLACK_CHANNEL_DIGEST: LOAD_CHANNELS.digest,
      SLACK_SIGNING_SECRET: 'fake-slack-signing-secret-for-load',
      ANTHROPIC_API_KEY: '',
      POWERTOOLS_LOG_LEVEL: 'ERROR',
      // The fake Slack has no rate limit: pace posts 20 ms apart instead of Slack's one a second,
      // or the run would measure the pacer (70 posts to one channel take 70 s at Slack's pace).
      OUTBOX_PACE_MS: '20',
      // The run's incidents all start within seconds: at the default threshold (5 in 10 min) the
      // later ones would join a storm roll-up, and the check below, which wants each incident's
      // own brief and replies, would wait out its bound and report them missing. Storms have
      // their own tests (test/integration/attention.test.ts, test/unit/attention.test.ts).
      INCIDENT_STORM_THRESHOLD: String(plan.expected.incidents.length + 1),
      ...Object.fromEntries(sources.map((s) => [s.secretName, LOAD_SECRETS[s.name] ?? ''])),
      ...options.env,
    });
    const stats = await sendAll(service.url, plan.deliveries, options.concurrency ?? 16);
    // What a sender does with a 5xx: try again later. The 5xx still count against the run.
    const retries = { sent: stats.failed.length, accepted: 0 };
    for (const delivery of stats.failed) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const { status } = await sendDelivery(service.url, delivery, LOAD_SECRETS[delivery.source] ?? '').catch(() => ({ status: 599 }));
      if (status < 300) retries.accepted += 1;
    }
    const settleStarted = performance.now();
    const deadline = Date.now() + (options.settleTimeoutMs ?? 60_000);
    while (slackProblems(slack, plan).length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const settleMs = performance.now() - settleStarted;
    // Anything posted twice would show up late: give stragglers a moment before the final count.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const java = options.dynamoEndpoint ? undefined : javaChild(service.child.pid);
    return {
      ...stats,
      counts: plan.counts,
      redeliveries: plan.deliveries.filter((d) => d.redelivery).length,
      peakRssMb: { service: peakRssMb(service.child.pid) ?? Number.NaN, ...(java ? { dynamoDbLocal: peakRssMb(java) } : {}) },
      problems: slackProblems(slack, plan),
      settleMs,
      retries,
      serviceErrors: service
        .output()
        .split('\n')
        .filter((line) => /"level":"(ERROR|WARN)"|failed/.test(line))
        .slice(0, 10),
    };
  } finally {
    await service?.stop();
    await slack.close();
  }
}

export function describeLoad(report: LoadReport): string {
  const statuses = Object.entries(report.statuses)
    .map(([status, count]) => `${status}×${count}`)
    .join(' ');
  const mix = Object.entries(report.counts)
    .map(([source, count]) => `${source} ${count}`)
    .join(', ');
  return [
    `${report.sent} webhooks (${mix}; ${report.redeliveries} redeliveries) in ${(report.elapsedMs / 1000).toFixed(1)} s: ${report.throughputPerS.toFixed(1)} webhooks/s`,
    `latency p50 ${report.p50Ms.toFixed(1)} ms, p99 ${report.p99Ms.toFixed(1)} ms, max ${report.maxMs.toFixed(1)} ms; statuses ${statuses}; 5xx ${report.serverErrors}`,
    ...(report.retries.sent > 0 ? [`sender's retry of the ${report.retries.sent} 5xx after the run: ${report.retries.accepted} accepted`] : []),
    `service peak RSS ${report.peakRssMb.service.toFixed(0)} MB${report.peakRssMb.dynamoDbLocal ? ` (its DynamoDB Local ${report.peakRssMb.dynamoDbLocal.toFixed(0)} MB)` : ''}; Slack settled ${(report.settleMs / 1000).toFixed(1)} s after the last response`,
    ...report.serviceErrors.map((line) => `service: ${line.slice(0, 300)}`),
    report.problems.length === 0
      ? 'Slack: exactly one brief per incident, every reply once, every approval request once'
      : `Slack problems: ${report.problems.join('; ')}`,
  ].join('\n');
}
