import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createDocumentClient, LOCAL_INGEST_DYNAMO_LIMITS } from '../functions/adapters/dynamo-client';
import { dynamoReadiness } from '../functions/adapters/dynamo-health';
import { DynamoStore } from '../functions/adapters/dynamo-store';
import { createTableIfMissing } from '../functions/adapters/dynamo-table';
import { EnvSecrets } from '../functions/adapters/env-secrets';
import { DynamoBusJournal } from '../functions/adapters/dynamo-bus-journal';
import { DynamoInboxLog } from '../functions/adapters/dynamo-inbox-log';
import { InboxChat } from '../functions/adapters/inbox-chat';
import { LocalBus } from '../functions/adapters/local-bus';
import { SlackChat } from '../functions/adapters/slack-chat';
import { answerSafely, type HttpResponse } from '../functions/core/http';
import { logTo } from '../functions/core/logger';
import { routes } from '../functions/core/routing';
import { DynamoApprovalStore } from '../functions/adapters/dynamo-approvals';
import { JiraRest } from '../functions/adapters/jira-rest';
import { type ApprovalWorkerDeps, handleApprovalWorkerEvent } from '../functions/approvals/approval-worker';
import { expireOverdue, remindUndecided } from '../functions/approvals/expiry';
import { handleSlackInteraction } from '../functions/approvals/interactions';
import { ServiceSecretNames } from '../functions/core/lambda-env';
import { runDigest } from '../functions/digest/digest-runner';
import { startDigestSchedule } from '../functions/digest/period';
import { handleHistoryEvent } from '../functions/history/history-worker';
import { handleIncidentEvent } from '../functions/incidents/incident-worker';
import { ingestWebhook } from '../functions/ingest/ingest';
import type { Chat } from '../functions/ports/chat';
import type { AssistantThreads } from '../functions/ports/assistant-threads';
import { systemClock } from '../functions/ports/clock';
import { sources } from '../functions/sources/registry';
import { createWriterFromEnv } from '../functions/writer/create-writer';
import { createOutbox } from '../functions/outbox/create-outbox';
import { ChannelPacer } from '../functions/outbox/pacer';
import { startOutboxSweeper } from '../functions/outbox/sweeper';
import type { Outbox } from '../functions/ports/outbox';
import { dynamoDbLocalOptions, type RunningDynamoDb, startDynamoDbLocal } from './dynamodb-local';
import { liveDoraLines, renderDoraPanel } from './dora-panel';
import { renderInboxPage } from './inbox-page';
import { loadRuntimeConfig } from './runtime-config';
import { startLocalEscalations } from './escalation-runtime';
import { addLocalWeekly } from './weekly-runtime';
import { answerWorkerDeps, digestWorkerDeps, incidentWorkerDeps, type WorkerInfrastructure } from '../functions/wiring/worker-deps';
import { loadWeeklyConfig } from '../functions/weekly/weekly-config';
import { addSlackSimulator, LOCAL_APPROVER, LOCAL_NON_APPROVER } from './slack-simulator';
import { loadAskConfig } from '../functions/ask/ask-config';
import { handleAskEvent } from '../functions/ask/answer-worker';
import { createAnswererFromEnv } from '../functions/ask/create-answerer';
import { handleSlackEvents } from '../functions/ask/events-endpoint';

type Env = Record<string, string | undefined>;

export interface LocalRuntime {
  url: string;
  bus: LocalBus;
  inbox?: InboxChat;
  /** Every document goes through it; its sweeper runs in this process. */
  outbox: Outbox;
  dynamoEndpoint: string;
  /** Where the spawned DynamoDB Local keeps its data; undefined in memory or with `DYNAMODB_ENDPOINT`. */
  dataDir?: string;
  close(): Promise<void>;
}

/**
 * The whole service in one process: the API Gateway routes on a local HTTP server,
 * DynamoDB Local (or `DYNAMODB_ENDPOINT`), the in-process bus driven by the shared routing
 * table, and the same domain code the Lambdas run.
 */
export async function startLocalRuntime(env: Env): Promise<LocalRuntime> {
  // Every variable, refused before anything starts with a message naming it (npm run doctor parses the same way).
  const config = loadRuntimeConfig(env);
  const { host, port, tableName } = config;
  const limit = config.maxBodyBytes;
  const hiringDays = config.hiringRetentionDays;
  const escalationConfig = config.escalations;
  const attentionConfig = config.attention;
  const weeklyConfig = loadWeeklyConfig(env);

  // An external DynamoDB is used as is; only one we spawned is ours to stop. Ours keeps its data on disk unless told otherwise.
  const dynamo: { endpoint: string; dataDir?: string; stop?: RunningDynamoDb['stop'] } = env.DYNAMODB_ENDPOINT
    ? { endpoint: env.DYNAMODB_ENDPOINT }
    : await startDynamoDbLocal(dynamoDbLocalOptions(env));
  const { endpoint } = dynamo;
  const db = createDocumentClient({ endpoint });
  try {
    await createTableIfMissing(db, tableName);
  } catch (error) {
    await dynamo.stop?.();
    throw error;
  }
  const store = new DynamoStore(db, tableName);

  // The inbox keeps its messages in the table, as Slack keeps a channel's: a restart shows what was posted before.
  const inboxLog = new DynamoInboxLog(db, tableName);
  const inbox = env.SLACK_BOT_TOKEN ? undefined : new InboxChat(undefined, inboxLog);
  inbox?.restore(await inboxLog.load());
  const chat: Chat & AssistantThreads = env.SLACK_BOT_TOKEN
    ? new SlackChat({ token: env.SLACK_BOT_TOKEN, apiUrl: env.SLACK_API_URL || undefined })
    : (inbox as InboxChat);
  const writer = createWriterFromEnv(env, env.ANTHROPIC_API_KEY, store, systemClock, logTo('warn'));
  // The outbox and its sweeper, in process (in AWS the sweeper is a Lambda run every minute).
  const outboxParts = createOutbox(db, tableName, chat, logTo('warn'), { pacer: new ChannelPacer(config.outboxPaceMs) });
  const { outbox } = outboxParts;
  const sweeper = startOutboxSweeper(outboxParts, config.outboxSweepIntervalMs);
  const channel = config.incidentsChannel;
  const approvalConfig = config.approvals;
  const approvals = new DynamoApprovalStore(db, tableName);
  const tracker =
    approvalConfig.writeBack.enabled && approvalConfig.writeBack.baseUrl && approvalConfig.writeBack.email && env.JIRA_API_TOKEN
      ? new JiraRest({ baseUrl: approvalConfig.writeBack.baseUrl, email: approvalConfig.writeBack.email, apiToken: env.JIRA_API_TOKEN })
      : undefined;

  // Ingest, readiness and the bus journal use a client with bounded timeouts: DynamoDB stopped means a 503 at once.
  const ingestDb = createDocumentClient({ endpoint, limits: LOCAL_INGEST_DYNAMO_LIMITS });
  const journal = new DynamoBusJournal(db, tableName, { acceptDb: ingestDb });
  const infrastructure: WorkerInfrastructure = { db, tableName, store, outbox, writer, clock: systemClock };
  const escalations = await startLocalEscalations({ infrastructure, config: escalationConfig, incidentsChannel: channel, log: logTo('warn') });
  const incidentDeps = incidentWorkerDeps(infrastructure, { channel, config: attentionConfig });
  const bus = new LocalBus(
    routes,
    {
      escalation: escalations.worker,
      incident: (event) => handleIncidentEvent(event, incidentDeps),
      history: (event) => handleHistoryEvent(event, { store, clock: systemClock, retentionDays: hiringDays, deployedStatuses: config.digest.deployedStatuses }),
      approval: (event) => handleApprovalWorkerEvent(event, approvalWorkerDeps),
      answer: (event) => handleAskEvent(event, answerDeps),
    },
    {
      onDeadLetter: (letter) =>
        logTo('error')('event dead-lettered; delivered again at the next start', { route: letter.route, eventId: letter.event.id, error: letter.error }),
      journal,
      onJournalError: logTo('warn'),
    },
  );
  // Read before the server listens, so only what an earlier process left unfinished is replayed.
  const unfinished = await journal.unfinished();
  // Declared after the bus it publishes to; the bus only calls the worker once events flow.
  const approvalWorkerDeps: ApprovalWorkerDeps = {
    approvals,
    chat,
    outbox,
    writer,
    bus,
    clock: systemClock,
    config: approvalConfig,
    tracker,
    claims: incidentDeps.claims,
  };
  const secrets = new EnvSecrets(env);
  const interactionDeps = { approvals, chat, outbox, bus, clock: systemClock, secrets, log: logTo('warn') };
  const expiryTimer = setInterval(() => {
    const expiryDeps = { approvals, bus, clock: systemClock };
    expireOverdue(expiryDeps)
      .then(() => remindUndecided(expiryDeps))
      .catch((error: unknown) => logTo('error')('approval expiry failed', { error: error instanceof Error ? error.message : String(error) }));
  }, config.approvalExpiryIntervalMs);
  expiryTimer.unref();
  const digestDeps = digestWorkerDeps(infrastructure, config.digest);
  // Questions asked in Slack (or the inbox's Ask box): who may ask defaults to the approvers and the escalation user.
  const askConfig = loadAskConfig(env, [...approvalConfig.approvers, ...(escalationConfig.userId ? [escalationConfig.userId] : [])]);
  const answerDeps = answerWorkerDeps(infrastructure, {
    answerer: createAnswererFromEnv(env, env.ANTHROPIC_API_KEY, store, systemClock, askConfig, logTo('warn')),
    assistant: chat,
    config: askConfig,
    log: logTo('warn'),
  });
  // The same cron and time zone EventBridge Scheduler uses in AWS.
  const digestJob = startDigestSchedule(digestDeps.config.cron, digestDeps.config.timeZone, () =>
    runDigest(digestDeps).catch((error: unknown) =>
      logTo('error')('scheduled digest failed', { error: error instanceof Error ? error.message : String(error) }),
    ),
  );
  await dynamoReadiness(ingestDb, tableName); // warms the client: its first call loads SDK modules and connects
  const slackEventsDeps = { store: new DynamoStore(ingestDb, tableName), bus, clock: systemClock, secrets, log: logTo('warn') };
  const ingestDeps = {
    store: new DynamoStore(ingestDb, tableName),
    bus,
    secrets,
    clock: systemClock,
    maxBodyBytes: limit,
    hiringRetentionDays: hiringDays,
    log: logTo('error'),
  };

  const app = new Hono();
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/readyz', async (c) => {
    const readiness = await dynamoReadiness(ingestDb, tableName);
    return readiness.ready ? c.json({ ready: true }) : c.json({ ready: false, reason: readiness.reason }, 503);
  });
  app.get('/', async (c) => {
    // The same DORA lines as the digest, for the last 7 days; a failed read leaves the panel out.
    const dora = await liveDoraLines(store, digestDeps.config, new Date()).catch((error: unknown) => {
      logTo('warn')('DORA panel not shown', { error: error instanceof Error ? error.message : String(error) });
      return [];
    });
    return c.html(
      renderInboxPage(
        inbox?.threads() ?? [],
        inbox ? 'Local inbox (no SLACK_BOT_TOKEN set)' : 'Posting to Slack; nothing is kept here',
        {
          actingAs: c.req.query('as') || approvalConfig.approvers[0] || LOCAL_APPROVER,
          users: [...new Set([...approvalConfig.approvers, LOCAL_NON_APPROVER])],
          notices: inbox?.notices ?? [],
          modals: [...(inbox?.modals.values() ?? [])],
          escalationChannel: escalationConfig.channel,
          setupProblems: outboxParts.delivery.setup.list(),
        },
        renderDoraPanel(dora),
      ),
    );
  });
  app.post('/slack/interactions', async (c) => {
    const body = new Uint8Array(await c.req.arrayBuffer());
    return respond(c, () => handleSlackInteraction({ method: 'POST', headers: lowerCaseHeaders(c.req.raw.headers), body }, interactionDeps), 'interaction');
  });
  app.post('/slack/events', async (c) => {
    const body = new Uint8Array(await c.req.arrayBuffer());
    return respond(c, () => handleSlackEvents({ method: 'POST', headers: lowerCaseHeaders(c.req.raw.headers), body }, slackEventsDeps), 'Slack event');
  });
  // Local only: write a digest now (since the previous one) and answer with its id once written.
  app.post('/local/digest', async (c) => {
    try {
      const outcome = await runDigest(digestDeps, { manual: true });
      return c.json(outcome, 201);
    } catch (error) {
      logTo('error')('digest failed', { error: error instanceof Error ? error.message : String(error) });
      return c.json({ error: 'digest failed; see the service log' }, 500);
    }
  });
  const weeklyJob = addLocalWeekly(app, infrastructure, weeklyConfig);
  if (inbox && env.SLACK_SIGNING_SECRET) {
    addSlackSimulator(app, {
      interactionsUrl: () => `${baseUrl}/slack/interactions`,
      eventsUrl: () => `${baseUrl}/slack/events`,
      signingSecret: env.SLACK_SIGNING_SECRET,
      inbox,
    });
  }
  app.all(
    '/webhooks/:source',
    // Refuse oversized bodies while streaming, before they are buffered in memory.
    bodyLimit({ maxSize: limit, onError: (c) => c.json({ error: `payload too large: limit ${limit} bytes` }, 413) }),
    async (c) => {
      const body = new Uint8Array(await c.req.arrayBuffer());
      return respond(
        c,
        () => ingestWebhook(c.req.param('source'), { method: c.req.method, headers: lowerCaseHeaders(c.req.raw.headers), body }, ingestDeps),
        'webhook',
      );
    },
  );
  app.notFound((c) => c.json({ error: `no route for ${c.req.method} ${c.req.path}` }, 404));

  const server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: host, port }, () => resolve(s as Server));
  });
  const address = server.address() as AddressInfo;
  const baseUrl = `http://${host}:${address.port}`;
  const replay = replayUnfinished(bus, unfinished);

  return {
    url: baseUrl,
    bus,
    inbox,
    outbox,
    dynamoEndpoint: endpoint,
    dataDir: dynamo.dataDir,
    close: async () => {
      await replay;
      await escalations.stop();
      clearInterval(expiryTimer);
      await sweeper.stop();
      digestJob.stop();
      weeklyJob.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await bus.drain();
      db.destroy();
      ingestDb.destroy();
      await dynamo.stop?.();
    },
  };
}

/**
 * Delivers, in the background, what the bus accepted before a crash or a stop and no worker
 * finished, and logs it with counts (workers are idempotent: what was done is not done twice).
 */
async function replayUnfinished(bus: LocalBus, unfinished: Awaited<ReturnType<DynamoBusJournal['unfinished']>>): Promise<void> {
  if (unfinished.length === 0) return;
  const routeCount = unfinished.reduce((sum, entry) => sum + entry.routeIds.length, 0);
  logTo('info')('replaying events accepted but not finished before the last stop', { events: unfinished.length, deliveries: routeCount });
  try {
    const report = await bus.replay(unfinished);
    logTo(report.failed > 0 ? 'warn' : 'info')('replay finished', { ...report });
  } catch (error) {
    logTo('error')('replay failed; what is unfinished is tried again at the next start', { error: error instanceof Error ? error.message : String(error) });
  }
}

/** Names of every secret the local runtime needs: one per webhook source, and Slack's signing secret. */
export const localSecretNames = [...sources.map((source) => source.secretName), ServiceSecretNames.slackSigningSecret];

/** The Lambda handlers' answer, failures mapped the same way (functions/core/http.ts). */
async function respond(c: Context, handle: () => Promise<HttpResponse>, what: string): Promise<Response> {
  const response = await answerSafely(what, handle, { warn: logTo('warn'), error: logTo('error') });
  return c.json(response.body, response.status as 200);
}

function lowerCaseHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name.toLowerCase()] = value;
  });
  return out;
}
