import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoOutboxStore } from '../../functions/adapters/dynamo-outbox';
import { freshTable } from '../support/dynamo';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { waitFor } from '../support/local-process';

/** Runs test/support/outbox-child.ts as its own process; resolves with its output when it exits. */
function child(env: Record<string, string>): { process: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'test/support/outbox-child.ts'], {
    cwd: process.cwd(),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  proc.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { process: proc, output: () => output, exited: new Promise((resolve) => proc.once('exit', (code) => resolve(code))) };
}

describe('a process killed (SIGKILL) after Slack accepted a post and before it was recorded', () => {
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await startFakeSlack();
  });
  afterAll(async () => {
    await slack?.close();
  });

  it('is delivered once after a restart: the sweeper finds the post by its metadata and records its ts', async () => {
    const table = await freshTable('outbox-crash');
    const env = { DYNAMODB_ENDPOINT: table.endpoint, TABLE_NAME: table.tableName, SLACK_API_URL: slack.apiUrl, DOC_ID: 'incident:pagerduty#QKILL:brief' };
    // Slack accepts the post at once but answers only after a minute: the process dies first.
    slack.answerLateNext('chat.postMessage', 1, 60_000);
    const sender = child({ ...env, MODE: 'send' });
    await waitFor(
      () => slack.messages.length === 1,
      () => `the post to reach Slack\n${sender.output()}`,
      30_000,
    );
    sender.process.kill('SIGKILL');
    expect(await sender.exited).toBeNull();
    expect(sender.output()).not.toContain('sent');

    const store = new DynamoOutboxStore(table.db, table.tableName);
    const stranded = await store.get(env.DOC_ID);
    // Recorded before the post, the attempt marked as in flight with its outcome unknown.
    expect(stranded).toMatchObject({ state: 'pending', attempts: 1, uncertainSince: expect.any(String) });

    // The restart, once the dead attempt's lease has run out (the clock moved on 31 s).
    const restart = child({ ...env, MODE: 'sweep', CLOCK_OFFSET_MS: '31000' });
    expect(await restart.exited, restart.output()).toBe(0);
    expect(restart.output()).toContain('"delivered":1');

    expect(slack.messages).toHaveLength(1);
    expect(slack.attempts.filter((call) => call.method === 'chat.postMessage')).toHaveLength(1);
    expect(slack.calls.filter((call) => call.method === 'conversations.history')).toHaveLength(1);
    expect(await store.get(env.DOC_ID)).toMatchObject({ state: 'delivered', message: { channel: 'C0CRASH', ts: slack.messages[0]?.ts } });
  }, 90_000);
});
