import { fixedClockTable } from './fixed-clock-table';
import { incidentAttentionStores } from '../../functions/adapters/dynamo-attention';
import type { DynamoStore } from '../../functions/adapters/dynamo-store';
import { LocalBus } from '../../functions/adapters/local-bus';
import { loadApprovalConfig } from '../../functions/approvals/approval-config';
import { handleApprovalWorkerEvent } from '../../functions/approvals/approval-worker';
import { handleAskEvent } from '../../functions/ask/answer-worker';
import { type Answerer, CodeAnswerer } from '../../functions/ask/answerer';
import { loadAskConfig } from '../../functions/ask/ask-config';
import { loadDigestConfig } from '../../functions/digest/digest-config';
import { handleSlackEvents } from '../../functions/ask/events-endpoint';
import { routes } from '../../functions/core/routing';
import { type DigestDeps, runDigest } from '../../functions/digest/digest-runner';
import { handleHistoryEvent } from '../../functions/history/history-worker';
import { handleIncidentEvent } from '../../functions/incidents/incident-worker';
import { signSlackRequest } from '../../functions/slack/inbound/verify-slack-signature';
import { deliveryAndHiringScenario, greenhouseAndAshbyScenario } from '../../local/scenarios/delivery-and-hiring';
import { gitHubDeploymentScenario } from '../../local/scenarios/github-deployments';
import { pagerDutyIncidentScenario } from '../../local/scenarios/pagerduty-incident';
import { signedDeliverer } from './deliver';
import { EnvSecrets } from '../../functions/adapters/env-secrets';
import { answerWorkerDeps } from '../../functions/wiring/worker-deps';

/** Obviously fake signing secrets, one per webhook source. */
const TEST_WEBHOOK_SECRETS: Record<string, string> = {
  PAGERDUTY_WEBHOOK_SECRET: 'fake-pagerduty-secret-for-tests',
  JIRA_WEBHOOK_SECRET: 'fake-jira-secret-for-tests',
  LEVER_SIGNATURE_TOKEN: 'fake-lever-token-for-tests',
  GREENHOUSE_WEBHOOK_SECRET: 'fake-greenhouse-secret-for-tests',
  ASHBY_WEBHOOK_SECRET: 'fake-ashby-secret-for-tests',
  GITHUB_WEBHOOK_SECRET: 'fake-github-secret-for-tests',
};
export const SLACK_SIGNING_SECRET = 'fake-slack-signing-secret-for-tests';
export const VP = 'U0ASKVP';
export const GUEST = 'U0ASKGUEST';

/**
 * The service on a fresh DynamoDB Local table with a fixed clock: ingest, the bus, every worker
 * the answers read from, the answer worker (code-built unless `answerer` says otherwise), the
 * Slack events endpoint, and the demo's night of webhooks delivered when `seed` is called.
 */
export async function askWorld(options: { now: Date; answerer?: (deps: { store: DynamoStore }) => Answerer; env?: Record<string, string> }) {
  const { now } = options;
  const { table, store, approvals, chat, clock, writer, outbox, claims } = await fixedClockTable('ask', now);
  const approvalConfig = loadApprovalConfig({ SLACK_APPROVER_IDS: VP });
  const env = { DIGEST_TIME_ZONE: 'America/New_York', ...options.env };
  const config = loadAskConfig(env, [VP]);
  const answerDeps = answerWorkerDeps(
    { ...table, store, outbox, clock },
    { answerer: options.answerer?.({ store }) ?? new CodeAnswerer(), assistant: chat, config, log: () => {} },
  );
  const bus: LocalBus = new LocalBus(
    routes,
    {
      incident: (event) =>
        handleIncidentEvent(event, { store, outbox, writer, clock, channel: '#incidents', ...incidentAttentionStores(table.db, table.tableName) }),
      history: (event) => handleHistoryEvent(event, { store, clock, retentionDays: 180, deployedStatuses: [] }),
      escalation: async () => {},
      answer: (event) => handleAskEvent(event, answerDeps),
      approval: (event) => handleApprovalWorkerEvent(event, { approvals, chat, outbox, writer, bus, clock, claims, config: approvalConfig }),
    },
    { retryDelaysMs: [] },
  );
  const deliver = signedDeliverer({ store, bus, secrets: new EnvSecrets(TEST_WEBHOOK_SECRETS), clock, maxBodyBytes: 1 << 20 }, TEST_WEBHOOK_SECRETS, now);

  /** The demo's night: a resolved P1 lowered to P2, an open P1, a Jira approval, hiring moves and offers, GitHub deployments. */
  const seed = async () => {
    const hour = 3_600_000;
    await deliver(pagerDutyIncidentScenario({ incidentId: 'QASK1', start: new Date(now.getTime() - 5 * hour) }));
    await deliver(
      pagerDutyIncidentScenario({
        incidentId: 'QASK2',
        number: 4212,
        title: 'Search API timing out for all customers',
        start: new Date(now.getTime() - 0.5 * hour),
      }).slice(0, 1),
    );
    await deliver(deliveryAndHiringScenario(new Date(now.getTime() - 4 * hour)));
    await deliver(greenhouseAndAshbyScenario(new Date(now.getTime() - 3 * hour)));
    await deliver(gitHubDeploymentScenario({ start: new Date(now.getTime() - 8 * hour) }));
  };
  const digestDeps: DigestDeps = { store, approvals, ledger: store, writer, outbox, claims, clock, config: loadDigestConfig(env) };
  const eventsDeps = { store, bus, clock, secrets: new EnvSecrets({ SLACK_SIGNING_SECRET }) };
  let sequence = 0;
  /** Posts a signed Events API body to the endpoint, as Slack would; `retry` adds Slack's retry headers. */
  const post = async (body: unknown, extra: { retry?: number; secret?: string; at?: Date } = {}) => {
    const raw = JSON.stringify(body);
    const headers = {
      'content-type': 'application/json',
      ...signSlackRequest(raw, extra.secret ?? SLACK_SIGNING_SECRET, extra.at ?? now),
      ...(extra.retry ? { 'x-slack-retry-num': String(extra.retry), 'x-slack-retry-reason': 'http_timeout' } : {}),
    };
    const response = await handleSlackEvents({ method: 'POST', headers, body: Buffer.from(raw) }, eventsDeps);
    await bus.drain();
    return response;
  };
  /** A Slack-shaped `app_mention` (or direct message) event callback. */
  const question = (text: string, options: { user?: string; dm?: boolean; threadTs?: string; eventId?: string } = {}) => {
    sequence += 1;
    // A second apart, as a person types: a thread's turns are ordered by when each was asked.
    const ts = `${Math.floor(now.getTime() / 1000) + sequence}.${String(100 + sequence).padStart(6, '0')}`;
    const event = options.dm
      ? {
          type: 'message',
          channel_type: 'im',
          channel: 'D0ASKVP',
          user: options.user ?? VP,
          text,
          ts,
          ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
        }
      : {
          type: 'app_mention',
          channel: 'C0LEADERS',
          user: options.user ?? VP,
          text: `<@U0APPBOT> ${text}`,
          ts,
          ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
        };
    return {
      type: 'event_callback',
      team_id: 'T0ACME',
      event_id: options.eventId ?? `Ev0ASK${String(sequence).padStart(4, '0')}`,
      event_time: Math.floor(now.getTime() / 1000),
      authorizations: [{ user_id: 'U0APPBOT', is_bot: true }],
      event,
    };
  };
  /** The replies posted in a thread (the answers), as text. */
  const answersIn = (channel: string, threadTs?: string) =>
    chat
      .all()
      .filter((message) => message.channel === channel && message.threadTs === threadTs)
      .map((message) => JSON.stringify(message.blocks));
  const digest = async () => {
    await runDigest(digestDeps, { manual: true });
    return JSON.stringify(chat.threads().find((thread) => thread.parent.channel === '#exec-digest')?.parent.blocks ?? []);
  };
  return { table, store, approvals, chat, bus, deliver, seed, post, question, answersIn, digest, answerDeps, config };
}
