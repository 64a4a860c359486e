import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { APPROVE_ACTION } from '../../functions/approvals/render-approval';
import { SERVICE_CREDENTIALS_NAME, SIGNING_SECRETS_NAME, ServiceSecretNames, secretArnEnvName } from '../../functions/core/lambda-env';
import { buildBlockActionsBody } from '../../local/slack-interaction-payloads';
import { signSlackRequest } from '../../functions/slack/inbound/verify-slack-signature';
import { startFakeAws } from '../../test/support/fake-aws';
import { type Figure, percentile, round } from './figures';
import type { DeployedFunction } from './functions';
import { bundle, lambdaEnvironment } from './init';

/** A pending approval's Approve button, as Slack shows it. */
export interface ApproveButton {
  value: string;
  channel: string;
  ts: string;
}

export interface ColdClickSetup {
  /** The interactions function as deployed. */
  fn: DeployedFunction;
  dynamoEndpoint: string;
  tableName: string;
  slackSigningSecret: string;
  approver: string;
  /** Pending approvals nobody clicked yet: each cold click decides one. */
  buttons: readonly ApproveButton[];
}

/** What the child prints: ms since its process started, when the bundle was loaded and when the handler answered. */
interface ChildTimes {
  loadedMs: number;
  answeredMs: number;
  status: number;
}

/**
 * slack.ack.cold_ms: an Approve click answered by a freshly started interactions function, the
 * Lambda bundle built as CDK builds it, in a new Node process: loading the bundle, the first
 * Secrets Manager read (a fake on 127.0.0.1), reading the approval and the decision's
 * transaction (DynamoDB Local), the publish (a fake EventBridge) and the answer. Timed from the
 * process's start, so Node's own start is included; Slack allows 3 s. Median of the clicks.
 */
export async function benchColdClick(setup: ColdClickSetup): Promise<Figure[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-cold-click-'));
  const env = lambdaEnvironment(setup.fn);
  const signingArn = env[secretArnEnvName(SIGNING_SECRETS_NAME)];
  const credentialsArn = env[secretArnEnvName(SERVICE_CREDENTIALS_NAME)];
  if (!signingArn) throw new Error(`${setup.fn.entry} is not given ${secretArnEnvName(SIGNING_SECRETS_NAME)}`);
  const aws = await startFakeAws({
    [signingArn]: JSON.stringify({ [ServiceSecretNames.slackSigningSecret]: [setup.slackSigningSecret] }),
    ...(credentialsArn ? { [credentialsArn]: JSON.stringify({ [ServiceSecretNames.slackBotToken]: 'xoxb-fake-token-for-bench' }) } : {}),
  });
  try {
    const bundled = path.join(dir, 'interactions.cjs');
    await bundle(setup.fn.entry, bundled);
    const runner = path.join(dir, 'click.cjs');
    writeFileSync(
      runner,
      `const { handler } = require(${JSON.stringify(bundled)});
const loadedMs = performance.now();
handler(JSON.parse(process.env.BENCH_EVENT)).then((r) => process.stdout.write('\\nBENCH_RESULT ' + JSON.stringify({ loadedMs, answeredMs: performance.now(), status: r.statusCode }) + '\\n'));`,
    );
    const childEnv = {
      ...env,
      TABLE_NAME: setup.tableName,
      AWS_ENDPOINT_URL_DYNAMODB: setup.dynamoEndpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url,
      AWS_ENDPOINT_URL_EVENTBRIDGE: aws.url,
    };
    const times: ChildTimes[] = [];
    for (const button of setup.buttons) {
      const body = buildBlockActionsBody({
        userId: setup.approver,
        actionId: APPROVE_ACTION,
        value: button.value,
        channelId: button.channel,
        messageTs: button.ts,
      });
      const headers = { 'content-type': 'application/x-www-form-urlencoded', ...signSlackRequest(body, setup.slackSigningSecret, new Date()) };
      const event = {
        version: '2.0',
        rawPath: '/slack/interactions',
        headers,
        body,
        isBase64Encoded: false,
        requestContext: { http: { method: 'POST' }, requestId: `bench-${button.value}` },
      };
      const result = await runChild(runner, { ...childEnv, BENCH_EVENT: JSON.stringify(event) });
      if (result.status !== 200) throw new Error(`cold click answered ${result.status}`);
      times.push(result);
    }
    const decided = aws.putEvents.filter((e) => e.DetailType === 'approval.decided').length;
    if (decided !== setup.buttons.length) throw new Error(`expected ${setup.buttons.length} approval.decided events, EventBridge got ${decided}`);
    const answered = percentile(
      times.map((t) => t.answeredMs),
      50,
    );
    return [
      {
        id: 'slack.ack.cold_ms',
        label: `Approve click answered by a new process with the Lambda bundle (Node start, load ${round(
          percentile(
            times.map((t) => t.loadedMs),
            50,
          ),
          0,
        )} ms, first secret read, approval read, decision transaction, publish), median of ${times.length}; Slack allows 3000 ms`,
        value: round(answered, 0),
        unit: 'ms',
        target: 1000,
        better: 'lower',
      },
    ];
  } finally {
    await aws.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function runChild(script: string, env: Record<string, string>): Promise<ChildTimes> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => {
      // The handler's EMF metrics go to stdout too: the result is the line the runner marks.
      const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      if (code !== 0 || !line) return reject(new Error(`cold click process exited ${code}: ${stderr.slice(0, 500)}`));
      resolve(JSON.parse(line.slice('BENCH_RESULT '.length)) as ChildTimes);
    });
  });
}
