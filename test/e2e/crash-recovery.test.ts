import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoBusJournal } from '../../functions/adapters/dynamo-bus-journal';
import { createDocumentClient } from '../../functions/adapters/dynamo-client';
import { queryAll } from '../../functions/adapters/dynamo-keys';
import { LOCAL_INBOX_PK } from '../../functions/adapters/dynamo-inbox-log';
import type { InboxMessage } from '../../functions/adapters/inbox-chat';
import { DEFAULT_TABLE_NAME } from '../../functions/core/table-definition';
import { incidentBriefId } from '../../functions/incidents/document-ids';
import { deliveryAndHiringScenario } from '../../local/scenarios/delivery-and-hiring';
import { pagerDutyIncidentScenario } from '../../local/scenarios/pagerduty-incident';
import { type SendResult, sendDelivery } from '../../local/scenarios/send';
import { isAlive, type LocalProcess, startLocalProcess, waitFor } from '../support/local-process';

const PAGERDUTY_SECRET = 'fake-pagerduty-secret-for-crash-e2e';
const JIRA_SECRET = 'fake-jira-secret-for-crash-e2e';
const INCIDENTS = 30;

/** `npm start` with its own DynamoDB Local on disk in `dataDir` (the default mode, in a temporary folder). */
function envFor(dataDir: string): Record<string, string> {
  return {
    DYNAMODB_ENDPOINT: '',
    LOCAL_DYNAMODB_DIR: dataDir,
    LOCAL_DYNAMODB_IN_MEMORY: '',
    SLACK_BOT_TOKEN: '',
    PAGERDUTY_WEBHOOK_SECRET: PAGERDUTY_SECRET,
    JIRA_WEBHOOK_SECRET: JIRA_SECRET,
    // The local inbox is not Slack: no need to pace 30 briefs a second apart.
    OUTBOX_PACE_MS: '10',
    // 30 P1s within minutes is a storm, folded into one roll-up by default: here every one is briefed, to count each brief.
    INCIDENT_STORM_THRESHOLD: '100',
  };
}

/** The spawned DynamoDB Local's endpoint, from the start-up line. */
function dynamoEndpointOf(service: LocalProcess): string {
  const match = /DynamoDB Local at (http:\/\/\S+), data kept in/.exec(service.output());
  if (!match?.[1]) throw new Error(`no DynamoDB Local line:\n${service.output()}`);
  return match[1];
}

/** A JSON log line's fields, for the first line carrying `message`. */
function logLine(output: string, message: string): Record<string, unknown> | undefined {
  const line = output.split('\n').find((candidate) => candidate.includes(`"message":"${message}"`));
  return line ? (JSON.parse(line) as Record<string, unknown>) : undefined;
}

/** Who runs DynamoDB Local on a data folder (written by local/dynamodb-local.ts). */
function readOwner(dataDir: string): { pid: number; javaPid: number } | undefined {
  try {
    return JSON.parse(readFileSync(join(dataDir, 'owner.json'), 'utf8')) as { pid: number; javaPid: number };
  } catch {
    return undefined;
  }
}

const inboxMessages = async (db: DynamoDBDocumentClient) =>
  (
    await queryAll(db, {
      TableName: DEFAULT_TABLE_NAME,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': LOCAL_INBOX_PK },
      ConsistentRead: true,
    })
  ).map((item) => item.message as InboxMessage);

describe('npm start keeps what it accepted across a SIGKILL and a restart (data on disk)', () => {
  const dirs: string[] = [];
  const services: LocalProcess[] = [];
  const clients: DynamoDBDocumentClient[] = [];
  const start = async (dataDir: string) => {
    // Generous: a JVM and Node starting on a busy two-core machine have taken over two minutes.
    const service = await startLocalProcess(envFor(dataDir), 300_000);
    services.push(service);
    return service;
  };
  const freshDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'exec-eng-lead-crash-'));
    dirs.push(dir);
    return dir;
  };

  afterAll(async () => {
    for (const client of clients) client.destroy();
    // A process killed by the test has exited already (stop() would wait for an exit that never comes again).
    for (const service of services) if (service.child.exitCode === null && service.child.signalCode === null) await service.stop('SIGTERM');
    for (const dir of dirs) {
      // A stop that had to end in SIGKILL leaves its DynamoDB Local behind: it is ours, so it goes too.
      const owner = readOwner(dir);
      if (owner && isAlive(owner.javaPid)) process.kill(owner.javaPid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it(`${INCIDENTS} signed P1 incidents answered 202, SIGKILL at once: after a restart on the same data, ${INCIDENTS} briefs, each once`, async () => {
    // Prepare
    const dataDir = freshDir();
    const first = await start(dataDir);
    const incidents = Array.from({ length: INCIDENTS }, (_, i) => {
      const [triggered] = pagerDutyIncidentScenario({ number: 7000 + i, title: `Crash test incident ${i + 1}: payments API failing`, start: new Date() });
      if (!triggered) throw new Error('empty scenario');
      const incidentId = (JSON.parse(triggered.body) as { event: { data: { id: string } } }).event.data.id;
      return { triggered, incidentId };
    });

    // Act: 4 in flight, each retried on a 5xx as PagerDuty would, then SIGKILL the moment the last 202 is in
    const answers: SendResult[] = [];
    let retries = 0;
    const queue = [...incidents];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) {
          let answer = await sendDelivery(first.url, next.triggered, PAGERDUTY_SECRET);
          for (let attempt = 1; answer.status >= 500 && attempt < 10; attempt += 1) {
            retries += 1;
            await new Promise((resolve) => setTimeout(resolve, 200));
            answer = await sendDelivery(first.url, next.triggered, PAGERDUTY_SECRET);
          }
          answers.push(answer);
        }
      }),
    );
    first.child.kill('SIGKILL');
    const killedAt = Date.now();
    await waitFor(
      () => first.child.exitCode !== null || first.child.signalCode !== null,
      () => 'the killed process to exit',
      10_000,
    );
    const orphanJava = readOwner(dataDir)?.javaPid ?? -1;
    const restartStarted = Date.now();
    const second = await start(dataDir);
    const restartMs = Date.now() - restartStarted;

    // Assess
    expect(answers.map((answer) => answer.status)).toEqual(Array(INCIDENTS).fill(202));
    // The killed process's Java child, orphaned by the SIGKILL, was stopped by the restart.
    expect(isAlive(orphanJava)).toBe(false);
    const db = createDocumentClient({ endpoint: dynamoEndpointOf(second) });
    clients.push(db);
    const briefIds = incidents.map(({ incidentId }) => incidentBriefId(`pagerduty#${incidentId}`));
    const briefsIn = (messages: InboxMessage[]) => messages.filter((message) => briefIds.includes(message.metadata?.event_payload.document_id ?? ''));
    let messages: InboxMessage[] = [];
    const deadline = Date.now() + 90_000;
    while (briefsIn(messages).length < INCIDENTS && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      messages = await inboxMessages(db);
    }
    // Settle: nothing more may arrive (a duplicate would show up here).
    await new Promise((resolve) => setTimeout(resolve, 3000));
    messages = await inboxMessages(db);
    const perBrief = briefIds.map((id) => briefsIn(messages).filter((message) => message.metadata?.event_payload.document_id === id).length);
    const replaying = logLine(second.output(), 'replaying events accepted but not finished before the last stop');
    const replayed = logLine(second.output(), 'replay finished');
    const figures = {
      accepted: answers.filter((answer) => answer.status === 202).length,
      retriedAfter5xx: retries,
      briefsAfterRestart: perBrief.filter((count) => count > 0).length,
      duplicates: perBrief.reduce((sum, count) => sum + Math.max(0, count - 1), 0),
      replayedEvents: replaying?.events,
      replayedDeliveries: replaying?.deliveries,
      replayMs: replayed?.ms,
      restartMs,
      secondsFromKillToLastBrief: Math.round((Date.now() - killedAt) / 100) / 10,
    };
    console.log(`crash figures: ${JSON.stringify(figures)}`);
    expect(perBrief).toEqual(Array(INCIDENTS).fill(1));
    // The kill came before the workers could finish: the restart had work to replay, and finished it.
    expect(replaying?.events).toBeGreaterThan(0);
    expect(replayed).toMatchObject({ failed: 0 });
    // Nothing accepted is left unfinished.
    expect(await new DynamoBusJournal(db, DEFAULT_TABLE_NAME).unfinished()).toEqual([]);
    // The inbox page of the restarted process shows them.
    const page = await (await fetch(`${second.url}/`)).text();
    for (let i = 1; i <= INCIDENTS; i += 1) expect(page).toContain(`Crash test incident ${i}: payments API failing`);
  }, 900_000);

  it('an incident and a pending approval are still there after Ctrl-C and npm start again, in the inbox and the next digest', async () => {
    // Prepare
    const dataDir = freshDir();
    const first = await start(dataDir);
    const title = 'Restart test: checkout latency above 2 s';
    const [triggered] = pagerDutyIncidentScenario({ number: 7100, title, start: new Date(Date.now() - 5 * 60_000) });
    const jira = deliveryAndHiringScenario().find((delivery) => delivery.source === 'jira');
    if (!triggered || !jira) throw new Error('empty scenario');
    expect((await sendDelivery(first.url, triggered, PAGERDUTY_SECRET)).status).toBe(202);
    expect((await sendDelivery(first.url, jira, JIRA_SECRET)).status).toBe(202);
    const page = async (service: LocalProcess) => (await fetch(`${service.url}/`)).text();
    const shown = (html: string) => html.includes(title) && html.includes('FIN-88') && html.includes('Approve');
    const deadline = Date.now() + 60_000;
    while (!shown(await page(first))) {
      if (Date.now() > deadline) throw new Error(`brief and approval request never shown in the first inbox\n${first.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }

    // Act
    expect(await first.stop('SIGINT')).toBe(0);
    const second = await start(dataDir);

    // Assess: the inbox shows both, with working buttons; a redelivery is still a duplicate
    const after = await page(second);
    expect(after).toContain(title);
    expect(after).toContain('FIN-88');
    expect(after).toContain('Approve');
    expect((await sendDelivery(second.url, triggered, PAGERDUTY_SECRET)).status).toBeLessThan(300);
    const digest = await fetch(`${second.url}/local/digest`, { method: 'POST' });
    expect(digest.status).toBe(201);
    const db = createDocumentClient({ endpoint: dynamoEndpointOf(second) });
    clients.push(db);
    const digestMessages = (await inboxMessages(db)).filter((message) => message.channel === '#exec-digest');
    expect(digestMessages).toHaveLength(1);
    const digestText = JSON.stringify(digestMessages[0]?.blocks);
    expect(digestText).toContain('#7100');
    expect(digestText).toContain('FIN-88');
  }, 900_000);
});
