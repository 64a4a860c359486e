import { randomUUID } from 'node:crypto';
import { APPROVE_ACTION } from '../../functions/approvals/render-approval';
import { buildBlockActionsBody } from '../../local/slack-interaction-payloads';
import { signSlackRequest } from '../../functions/slack/inbound/verify-slack-signature';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime';
import { sendUntilAccepted } from '../../local/scenarios/send';
import { LOCAL_APPROVER, LOCAL_NON_APPROVER } from '../../local/slack-simulator';
import { jiraTransition } from '../load/mix';
import { type ApproveButton, benchColdClick } from './cold-click';
import { type Figure, inFlight, percentile, round } from './figures';
import type { DeployedFunction } from './functions';

const APPROVALS = Number(process.env.BENCH_APPROVALS ?? 50);
/** Of those, left for clicks on a freshly started function (slack.ack.cold_ms), each in a new process. */
const COLD_CLICKS = Number(process.env.BENCH_COLD_CLICKS ?? 5);
const JIRA_SECRET = 'fake-jira-secret-for-bench';
/** The longest the set-up waits for every approval request to be posted. */
const SETUP_WAIT_MS = 180_000;
const SLACK_SECRET = 'fake-slack-signing-secret-for-bench';

/** The Approve buttons of every pending request in the local inbox, as a Slack client would see them. */
function approveButtons(runtime: LocalRuntime): ApproveButton[] {
  const buttons: ApproveButton[] = [];
  for (const { parent } of runtime.inbox?.threads() ?? []) {
    for (const block of parent.blocks) {
      if (block.type !== 'actions') continue;
      for (const element of block.elements) {
        if (element.type === 'button' && element.action_id === APPROVE_ACTION && element.value)
          buttons.push({ value: element.value, channel: parent.channel, ts: parent.ts });
      }
    }
  }
  return buttons;
}

/** One signed Slack `block_actions` Approve click, timed from send to the HTTP response. */
async function click(url: string, user: string, button: ApproveButton): Promise<number> {
  const body = buildBlockActionsBody({ userId: user, actionId: APPROVE_ACTION, value: button.value, channelId: button.channel, messageTs: button.ts });
  const headers = { 'content-type': 'application/x-www-form-urlencoded', ...signSlackRequest(body, SLACK_SECRET, new Date()) };
  const started = performance.now();
  const response = await fetch(`${url}/slack/interactions`, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
  await response.arrayBuffer();
  return performance.now() - started;
}

/**
 * slack.ack.p50/p99: time to acknowledge a signed Approve click that decides
 * (`POST /slack/interactions`; Slack wants the answer within 3 s), 8 in flight, against an
 * in-process runtime with BENCH_APPROVALS open requests; the refused repeat click, which
 * writes nothing, is the floor.
 */
export async function benchInteractions(dynamoEndpoint: string, interactionsFunction: DeployedFunction): Promise<Figure[]> {
  const tableName = `bench-approvals-${randomUUID()}`;
  const runtime = await startLocalRuntime({
    PORT: '0',
    HOST: '127.0.0.1',
    DYNAMODB_ENDPOINT: dynamoEndpoint,
    TABLE_NAME: tableName,
    JIRA_WEBHOOK_SECRET: JIRA_SECRET,
    SLACK_SIGNING_SECRET: SLACK_SECRET,
    SLACK_APPROVER_IDS: LOCAL_APPROVER,
    APPROVAL_EXPIRY_INTERVAL_MS: '3600000',
    // The inbox has no rate limit; Slack's pace of one post a second would only slow the set-up.
    OUTBOX_PACE_MS: '1',
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  });
  try {
    const now = new Date();
    // Retried as Jira retries: on a loaded machine ingest may answer 503 (its DynamoDB client gives up early, by design).
    const refused: string[] = [];
    await inFlight(
      Array.from({ length: APPROVALS }, (_, i) => jiraTransition(5000 + i, 'Awaiting VP Approval', now)),
      8,
      async (d) => {
        const result = await sendUntilAccepted(runtime.url, d, JIRA_SECRET);
        if (result.status < 200 || result.status >= 300) refused.push(`${d.deliveryId}: ${result.status}`);
      },
    );
    if (refused.length > 0) throw new Error(`ingest refused ${refused.length} approval deliveries after retries: ${refused.slice(0, 3).join(', ')}`);
    await runtime.bus.drain();
    // Requests reach the inbox through the outbox (its sweeper retries a failed post): bounded, but generous for a loaded machine.
    for (const deadline = Date.now() + SETUP_WAIT_MS; approveButtons(runtime).length < APPROVALS && Date.now() < deadline;)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const all = approveButtons(runtime);
    if (all.length !== APPROVALS)
      throw new Error(`expected ${APPROVALS} pending approval requests in the inbox within ${SETUP_WAIT_MS / 1000} s, found ${all.length}`);
    const buttons = all.slice(COLD_CLICKS);
    // Warm-up: refused clicks by a non-approver.
    await inFlight(buttons.slice(0, 20), 8, async (b) => void (await click(runtime.url, LOCAL_NON_APPROVER, b)));
    const first: number[] = [];
    const repeat: number[] = [];
    await inFlight(buttons, 8, async (b) => void first.push(await click(runtime.url, LOCAL_APPROVER, b)));
    await runtime.bus.drain();
    await inFlight(buttons, 8, async (b) => void repeat.push(await click(runtime.url, LOCAL_APPROVER, b)));
    await runtime.bus.drain();
    const p50 = percentile(first, 50);
    const cold = await benchColdClick({
      fn: interactionsFunction,
      dynamoEndpoint,
      tableName,
      slackSigningSecret: SLACK_SECRET,
      approver: LOCAL_APPROVER,
      buttons: all.slice(0, COLD_CLICKS),
    });
    return [
      ...cold,
      {
        id: 'slack.ack.p50',
        label: `Approve click that decides, acknowledged on a warm process (${buttons.length} approvals, 8 in flight); floor: the refused repeat click`,
        value: round(p50, 1),
        unit: 'ms',
        floor: round(percentile(repeat, 50), 1),
        ratio: round(p50 / percentile(repeat, 50)),
        target: 3,
        better: 'lower',
      },
      {
        id: 'slack.ack.p99',
        label: 'the same, p99',
        value: round(percentile(first, 99), 1),
        unit: 'ms',
        floor: round(percentile(repeat, 99), 1),
        better: 'lower',
      },
    ];
  } finally {
    await runtime.close();
  }
}
