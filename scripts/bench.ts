import { randomUUID } from 'node:crypto';
import { APPROVE_ACTION } from '../functions/approvals/render-approval';
import { percentileNearestRank } from '../functions/digest/metrics';
import { buildBlockActionsBody } from '../functions/slack/inbound/interaction-payload';
import { signSlackRequest } from '../functions/slack/inbound/verify-slack-signature';
import { startDynamoDbLocal } from '../local/dynamodb-local';
import { type LocalRuntime, startLocalRuntime } from '../local/runtime';
import { deliveryAndHiringScenario } from '../local/scenarios/delivery-and-hiring';
import { type ScenarioDelivery, pagerDutyIncidentScenario } from '../local/scenarios/pagerduty-incident';
import { sendDelivery } from '../local/scenarios/send';
import { LOCAL_APPROVER, LOCAL_NON_APPROVER } from '../local/slack-simulator';
import { type LocalProcess, startLocalProcess } from '../local/spawn-local';

/**
 * `npm run bench`: figures for the local runtime, printed, never asserted.
 * - time from process start to "listening on", with npm start spawning its own DynamoDB Local
 *   and, side by side, with DYNAMODB_ENDPOINT pointing at one already running;
 * - ingest latency p50/p99 over loopback for new deliveries and for redeliveries, measured
 *   in the same run so their ratio is meaningful on a noisy machine;
 * - time to acknowledge a signed Slack Approve click at `POST /slack/interactions` (Slack
 *   wants the answer within 3 s), for clicks that decide, repeat clicks on decided approvals
 *   and clicks by a non-approver, against an in-process runtime with BENCH_APPROVALS open.
 * Only 127.0.0.1 is contacted; every loop is bounded.
 */
const SECRET = 'fake-pagerduty-secret-for-bench';
const STARTS = Number(process.env.BENCH_STARTS ?? 3);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const APPROVALS = Number(process.env.BENCH_APPROVALS ?? 50);
const JIRA_SECRET = 'fake-jira-secret-for-bench';
const SLACK_SECRET = 'fake-slack-signing-secret-for-bench';

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

/** Nearest-rank percentile (the digest's definition); NaN for no samples. */
function percentile(values: number[], p: number): number {
  return percentileNearestRank(values, p) ?? Number.NaN;
}

interface Latencies {
  p50: number;
  p99: number;
  max: number;
  rps: number;
  statuses: string;
}

/** Sends every item with CONCURRENCY in flight; `send` times its own request (signing excluded). */
async function measure<T>(items: readonly T[], send: (item: T) => Promise<{ status: number; ms: number }>): Promise<Latencies> {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        const result = await send(item);
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
    rps: (items.length / elapsed) * 1000,
    statuses: [...statuses].map(([status, count]) => `${status}×${count}`).join(' '),
  };
}

const latencyRow = (name: string, r: Latencies, width = 14) =>
  `${name.padEnd(width)} p50 ${r.p50.toFixed(2).padStart(7)} ms   p99 ${r.p99.toFixed(2).padStart(7)} ms   max ${r.max.toFixed(1).padStart(6)} ms   ${r.rps.toFixed(0).padStart(5)} req/s   ${r.statuses}`;

/** The scenario's Jira transition into "Awaiting VP Approval", for its own issue: one approval each. */
function jiraTransition(n: number): ScenarioDelivery {
  const [jira] = deliveryAndHiringScenario();
  if (!jira || jira.source !== 'jira') throw new Error('the delivery scenario no longer starts with a Jira delivery');
  const body = JSON.parse(jira.body) as { issue: { id: string; key: string; self: string } };
  body.issue.id = String(500_000 + n);
  body.issue.key = `BENCH-${n}`;
  body.issue.self = `https://acme.atlassian.net/rest/api/2/issue/${body.issue.id}`;
  return { source: 'jira', deliveryId: `bench-jira-${n}-${randomUUID()}`, body: JSON.stringify(body) };
}

interface ApproveButton {
  value: string;
  channel: string;
  ts: string;
}

/** The Approve buttons of every pending request in the local inbox, as a Slack client would see them. */
function approveButtons(runtime: LocalRuntime): ApproveButton[] {
  const buttons: ApproveButton[] = [];
  for (const { parent } of runtime.inbox?.threads() ?? []) {
    for (const block of parent.blocks) {
      if (block.type !== 'actions') continue;
      for (const element of block.elements) {
        if (element.type === 'button' && element.action_id === APPROVE_ACTION && element.value) {
          buttons.push({ value: element.value, channel: parent.channel, ts: parent.ts });
        }
      }
    }
  }
  return buttons;
}

/** One signed Slack `block_actions` Approve click, timed from send to the HTTP response. */
async function click(url: string, user: string, button: ApproveButton): Promise<{ status: number; ms: number }> {
  const body = buildBlockActionsBody({ userId: user, actionId: APPROVE_ACTION, value: button.value, channelId: button.channel, messageTs: button.ts });
  const headers = { 'content-type': 'application/x-www-form-urlencoded', ...signSlackRequest(body, SLACK_SECRET, new Date()) };
  const started = performance.now();
  const response = await fetch(`${url}/slack/interactions`, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started };
}

/** Opens BENCH_APPROVALS approvals in an in-process runtime, then times Approve clicks on them. */
async function benchInteractions(): Promise<void> {
  const runtime = await startLocalRuntime({
    PORT: '0',
    HOST: '127.0.0.1',
    TABLE_NAME: `bench-approvals-${randomUUID()}`,
    JIRA_WEBHOOK_SECRET: JIRA_SECRET,
    SLACK_SIGNING_SECRET: SLACK_SECRET,
    SLACK_APPROVER_IDS: LOCAL_APPROVER,
    APPROVAL_EXPIRY_INTERVAL_MS: '3600000',
  });
  try {
    const opened = await measure(
      Array.from({ length: APPROVALS }, (_, i) => jiraTransition(i)),
      (delivery) => sendDelivery(runtime.url, delivery, JIRA_SECRET),
    );
    await runtime.bus.drain();
    const buttons = approveButtons(runtime);
    if (buttons.length !== APPROVALS) {
      throw new Error(`expected ${APPROVALS} pending approval requests in the inbox, found ${buttons.length} (Jira deliveries: ${opened.statuses})`);
    }
    // Warm-up: refused clicks by the non-approver, so the first measured run does not pay for JIT and connections.
    const warmup = buttons.slice(0, 20);
    await measure(warmup, (button) => click(runtime.url, LOCAL_NON_APPROVER, button));
    await runtime.bus.drain();

    const first = await measure(buttons, (button) => click(runtime.url, LOCAL_APPROVER, button));
    await runtime.bus.drain();
    const approved = (runtime.inbox?.threads() ?? []).filter(({ parent }) => parent.text.startsWith('Approved:')).length;
    const repeat = await measure(buttons, (button) => click(runtime.url, LOCAL_APPROVER, button));
    const guest = await measure(buttons, (button) => click(runtime.url, LOCAL_NON_APPROVER, button));
    await runtime.bus.drain();
    const notices = runtime.inbox?.notices ?? [];
    const alreadyDecided = notices.filter((n) => n.user === LOCAL_APPROVER && n.text.includes('Nothing changed')).length;
    const notApprover = notices.filter((n) => n.user === LOCAL_NON_APPROVER && n.text.includes('not an approver')).length - warmup.length;

    console.log(`Slack interaction ack over loopback (POST /slack/interactions), ${APPROVALS} approvals, ${CONCURRENCY} in flight:`);
    console.log(latencyRow('first click (decides)', first, 30));
    console.log(latencyRow('repeat click (refused)', repeat, 30));
    console.log(latencyRow('non-approver click (refused)', guest, 30));
    console.log(`ratio first/repeat p50: ${(first.p50 / repeat.p50).toFixed(2)}   first/non-approver p50: ${(first.p50 / guest.p50).toFixed(2)}`);
    console.log(
      `outcomes after draining the bus: ${approved}/${APPROVALS} messages approved; refusal notices ${alreadyDecided}/${APPROVALS} already decided, ${notApprover}/${APPROVALS} not an approver; dead letters ${runtime.bus.deadLetters.length}`,
    );
  } finally {
    await runtime.close();
  }
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
    const send = (delivery: ScenarioDelivery) => sendDelivery(service.url, delivery, SECRET);
    await measure(fresh.slice(0, 20).map((d) => ({ ...d, deliveryId: `warmup-${d.deliveryId}` })), send);
    const newRun = await measure(fresh, send);
    const dupRun = await measure(fresh, send);
    console.log(`ingest over loopback, ${REQUESTS} requests, ${CONCURRENCY} in flight:`);
    console.log(latencyRow('new delivery', newRun));
    console.log(latencyRow('redelivery', dupRun));
    console.log(`ratio new/redelivery p50: ${(newRun.p50 / dupRun.p50).toFixed(2)}`);
  } finally {
    await service.stop();
  }

  await benchInteractions();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
