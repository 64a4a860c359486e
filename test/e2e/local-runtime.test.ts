import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createDocumentClient } from '../../functions/adapters/dynamo-client';
import { pagerDutyIncidentScenario } from '../../local/scenarios/pagerduty-incident';
import { sendDelivery } from '../../local/scenarios/send';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { descendants, isAlive, type LocalProcess, startLocalProcess, waitFor } from '../support/local-process';

const SECRET = 'fake-pagerduty-secret-for-e2e';
const TOKEN = 'fake-slack-bot-token-for-tests';

describe('local runtime end to end (npm start → real @slack/web-api → fake Slack)', () => {
  let slack: FakeSlack;
  let service: LocalProcess;
  const tableName = `e2e-${randomUUID()}`;

  beforeAll(async () => {
    slack = await startFakeSlack();
    service = await startLocalProcess({
      DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
      TABLE_NAME: tableName,
      PAGERDUTY_WEBHOOK_SECRET: SECRET,
      SLACK_BOT_TOKEN: TOKEN,
      SLACK_API_URL: slack.apiUrl,
      SLACK_CHANNEL_INCIDENTS: 'C0EXECINC',
      SLACK_CHANNEL_DIGEST: 'C0EXECDIG',
      SLACK_CHANNEL_ESCALATIONS: 'C0EXECESC',
    });
  });

  afterAll(async () => {
    await service?.stop();
    await slack?.close();
  });

  it('turns a signed incident lifecycle into one brief, thread replies and a closing brief', async () => {
    const deliveries = pagerDutyIncidentScenario({ incidentId: 'QE2E', start: new Date('2026-11-24T08:00:00Z') });
    for (const delivery of deliveries) {
      const result = await sendDelivery(service.url, delivery, SECRET);
      expect(result.status).toBe(202);
    }
    const posts = () => slack.calls.filter((call) => call.method === 'chat.postMessage' && call.args.channel === 'C0EXECINC');
    await waitFor(
      () => posts().length >= 7,
      () => `7 posts, saw ${posts().length}\n${service.output()}`,
    );
    // The lifecycle includes PagerDuty's own escalation of the P1: the VP is paged once.
    const escalations = () => slack.calls.filter((call) => call.method === 'chat.postMessage' && call.args.channel === 'C0EXECESC');
    await waitFor(
      () => escalations().length >= 1,
      () => `an escalation\n${service.output()}`,
    );
    expect(escalations()).toHaveLength(1);

    const topLevel = posts().filter((call) => call.args.thread_ts === undefined);
    expect(topLevel).toHaveLength(1);
    const brief = topLevel[0];
    expect(brief?.authorization).toBe(`Bearer ${TOKEN}`);
    expect(brief?.args).toMatchObject({ channel: 'C0EXECINC', link_names: 'false', unfurl_links: 'false' });
    expect(String(brief?.args.text)).toContain('P1 incident #4211');

    const briefTs = slack.messages.find((message) => message.channel === 'C0EXECINC' && !message.thread_ts)?.ts;
    expect(briefTs).toBeDefined();
    // The escalation's notice ("Escalated to the VP … because …") is a reply in this thread too.
    const isNotice = (call: { args: Record<string, unknown> }) => String(call.args.text).startsWith('Escalated to the VP');
    await waitFor(
      () => posts().some(isNotice),
      () => `the escalation notice\n${service.output()}`,
    );
    expect(posts().filter(isNotice)).toHaveLength(1);
    const threadReplies = () => posts().filter((call) => call.args.thread_ts !== undefined && !isNotice(call));
    await waitFor(
      () => threadReplies().length >= 6,
      () => `6 replies, saw ${threadReplies().length}\n${service.output()}`,
    );
    const replies = threadReplies();
    expect(replies).toHaveLength(6);
    for (const reply of replies) expect(reply.args.thread_ts).toBe(briefTs);
    // Replies are posted in the order their records were made, which concurrent workers may interleave.
    const closing = JSON.stringify(replies.find((reply) => JSON.stringify(reply.args.blocks).includes('*Outcome*'))?.args.blocks);
    expect(closing).toContain('Resolved');
    expect(closing).toContain('time to acknowledge 7 min');
    expect(closing).toContain('time to resolve 34 min');

    const updates = slack.calls.filter((call) => call.method === 'chat.update');
    expect(updates.length).toBeGreaterThan(0);
    for (const update of updates) expect(update.args.ts).toBe(briefTs);
    await waitFor(
      () => String(slack.calls.filter((c) => c.method === 'chat.update').at(-1)?.args.text).includes('✅ Resolved'),
      () =>
        `final header update: ${slack.calls
          .filter((c) => c.method === 'chat.update')
          .map((c) => `${String(c.args.channel)} ${String(c.args.ts)} ${String(c.args.text).slice(0, 50)}`)
          .join(' / ')}`,
    );

    const db = createDocumentClient({ endpoint: inject('dynamoEndpoint') });
    const items = (await db.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }))).Items ?? [];
    db.destroy();
    // One write per delivery on the happy path: recorded, never updated (docs/adr/0013-one-write-ingest.md).
    expect(items.filter((item) => String(item.pk).startsWith('DELIVERY#') && item.state === 'received')).toHaveLength(7);
    const timeline = items.filter((item) => String(item.sk).startsWith('EVENT#'));
    expect(timeline).toHaveLength(7);
    // Every document went through the outbox and is recorded as delivered with its Slack ts.
    const documents = items.filter((item) => String(item.pk).startsWith('OUTBOX#incident:pagerduty#QE2E:') && item.sk === 'DOC');
    expect(documents).toHaveLength(7);
    expect(documents.every((item) => item.state === 'delivered')).toBe(true);
    const briefItem = items.find((item) => item.sk === 'BRIEF' && String(item.pk).includes('QE2E'));
    expect(briefItem?.brief).toMatchObject({ documentId: 'incident:pagerduty#QE2E:brief', document: { writer: 'template' } });
    expect(documents.find((item) => item.id === 'incident:pagerduty#QE2E:brief')).toMatchObject({ message: { ts: briefTs, channel: 'C0EXECINC' } });
    // Eight posts in one thread, paced per channel and kept in order, on a busy two-core machine.
  }, 60_000);

  it('a redelivery posts nothing again (the first republishes, the next answers 200), and a bad signature gets 401', async () => {
    const [first] = pagerDutyIncidentScenario({ incidentId: 'QE2E', start: new Date('2026-11-24T08:00:00Z') });
    if (!first) throw new Error('empty scenario');
    const posts = () => slack.calls.filter((call) => call.method === 'chat.postMessage').length;
    const before = posts();
    expect((await sendDelivery(service.url, first, SECRET)).body).toMatchObject({ status: 'accepted', republished: true });
    expect((await sendDelivery(service.url, first, SECRET)).status).toBe(200);
    expect((await sendDelivery(service.url, { ...first, deliveryId: 'other' }, 'wrong-secret')).status).toBe(401);
    const unknown = await fetch(`${service.url}/webhooks/nosuch`, { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The republished event is a duplicate to the worker: at most its status line is refreshed in place.
    expect(posts()).toBe(before);
  });

  it('POST /local/digest writes a digest now, posts it to the digest channel and answers with its id', async () => {
    // An incident within the last day (the first test's is dated after this run's clock).
    const before = slack.calls.length;
    for (const delivery of pagerDutyIncidentScenario({ incidentId: 'QE2EDIGEST', number: 4300, start: new Date(Date.now() - 2 * 3_600_000) })) {
      expect((await sendDelivery(service.url, delivery, SECRET)).status).toBe(202);
    }
    await waitFor(
      () => slack.calls.slice(before).filter((call) => call.method === 'chat.postMessage').length >= 7,
      () => `incident posts: ${slack.calls.slice(before).filter((call) => call.method === 'chat.postMessage').length}\n${service.output().slice(-3000)}`,
    );

    const response = await fetch(`${service.url}/local/digest`, { method: 'POST' });
    expect(response.status).toBe(201);
    const outcome = (await response.json()) as { id: string; posted: boolean; itemsRead: number };
    expect(outcome).toMatchObject({ id: expect.stringMatching(/^manual-/), posted: true });
    const digest = slack.calls.filter((call) => call.method === 'chat.postMessage' && call.args.channel === 'C0EXECDIG');
    expect(digest).toHaveLength(1);
    const text = JSON.stringify(digest[0]?.args.blocks);
    expect(text).toContain('Mean time to acknowledge 7 min; time to resolve mean 34 min');
    expect(text).toContain('Resolved #4300');
  });

  it('serves the health check', async () => {
    const response = await fetch(`${service.url}/healthz`);
    expect(await response.json()).toEqual({ ok: true });
  });
});

describe('npm start with no configuration at all', () => {
  it('spawns DynamoDB Local, serves the inbox, and leaves no Java process after SIGTERM', async () => {
    // The default mode (data on disk), in a folder of its own rather than the working copy's .local/dynamodb.
    const dataDir = mkdtempSync(join(tmpdir(), 'exec-eng-lead-noconfig-'));
    const service = await startLocalProcess({ DYNAMODB_ENDPOINT: '', LOCAL_DYNAMODB_DIR: dataDir, PAGERDUTY_WEBHOOK_SECRET: '', SLACK_BOT_TOKEN: '' });
    try {
      expect(service.output()).toMatch(/DEVELOPMENT SECRET \(local only/);
      expect(service.output()).toContain(`data kept in ${dataDir}`);
      const java = descendants(service.child.pid ?? -1).filter((p) => p.args.includes('DynamoDBLocal'));
      expect(java).toHaveLength(1);
      const page = await (await fetch(`${service.url}/`)).text();
      expect(page).toContain('Local inbox');
      // The live DORA panel says what is missing before any deployment is recorded.
      expect(page).toContain('DORA · last 7 days, live');
      expect(page).toContain('DORA metrics: not enough data (no production deployment recorded');
      expect(await service.stop('SIGTERM')).toBe(0);
      await waitFor(
        () => java.every((p) => !isAlive(p.pid)),
        () => 'DynamoDB Local still running',
        10_000,
      );
    } finally {
      await service.stop('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
    // Starts a JVM of its own (the others share one): on a busy two-core machine that alone can take most of 30 s.
  }, 90_000);
});
