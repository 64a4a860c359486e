import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoApprovalStore } from '../../functions/adapters/dynamo-approvals';
import { DynamoStore } from '../../functions/adapters/dynamo-store';
import { createTableIfMissing } from '../../functions/adapters/dynamo-table';
import { EnvSecrets } from '../../functions/adapters/env-secrets';
import { InboxChat } from '../../functions/adapters/inbox-chat';
import { LocalBus } from '../../functions/adapters/local-bus';
import { loadApprovalConfig } from '../../functions/approvals/approval-config';
import { handleApprovalWorkerEvent } from '../../functions/approvals/approval-worker';
import { routes } from '../../functions/core/routing';
import { loadDigestConfig } from '../../functions/digest/digest-config';
import { runDigest } from '../../functions/digest/digest-runner';
import { loadEscalationConfig } from '../../functions/escalations/escalation-config';
import { handleHistoryEvent } from '../../functions/history/history-worker';
import { handleIncidentEvent } from '../../functions/incidents/incident-worker';
import { DEFAULT_ATTENTION } from '../../functions/incidents/attention-config';
import { digestWorkerDeps, incidentWorkerDeps } from '../../functions/wiring/worker-deps';
import { ingestWebhook } from '../../functions/ingest/ingest';
import { createOutbox, type OutboxParts } from '../../functions/outbox/create-outbox';
import { sweepOutbox } from '../../functions/outbox/sweeper';
import { sources } from '../../functions/sources/registry';
import { TemplateWriter } from '../../functions/writer/template-writer';
import { startLocalEscalations } from '../../local/escalation-runtime';
import { gitHubDeploymentScenario } from '../../local/scenarios/github-deployments';
import { pagerDutyIncidentScenario } from '../../local/scenarios/pagerduty-incident';
import { pagerDutyStorm, withPriority } from '../../local/scenarios/pagerduty-storm';
import { type ScenarioDelivery, signers } from '../../local/scenarios/signers';
import { VirtualTime } from '../../test/support/virtual-time';
import { atsMove, jiraTransition } from '../load/mix';
import { LOAD_SECRETS } from '../load/run-load';
import { DAILY_MIX } from './cost';
import { type Figure, round } from './figures';

const INCIDENTS_CHANNEL = '#incidents-exec';
const END_OF_TIME = new Date('9999-12-31T23:59:59.999Z');
const DIGESTS_PER_DAY = 5 / 7;
/** Deliveries of each kind that posts nothing by design, sent to show it (then scaled to the day). */
const SAMPLE = 30;

/** The service in process on a fresh table and virtual time: ingest, the bus, every worker, escalation timers, an in-memory Slack. */
async function service(db: DynamoDBDocumentClient, name: string, start: Date) {
  const tableName = `bench-${name}-${Date.now()}`;
  await createTableIfMissing(db, tableName);
  const time = new VirtualTime(start);
  const store = new DynamoStore(db, tableName);
  const approvals = new DynamoApprovalStore(db, tableName);
  const chat = new InboxChat(() => time.now());
  // Delivered as soon as written; pacing waits cost no virtual time.
  const parts = createOutbox(db, tableName, chat, () => {}, { timing: { now: () => time.now(), sleep: async () => {} } });
  const writer = new TemplateWriter();
  const infrastructure = { db, tableName, store, outbox: parts.outbox, writer, clock: time };
  const escalations = await startLocalEscalations({
    infrastructure,
    config: loadEscalationConfig({}),
    incidentsChannel: INCIDENTS_CHANNEL,
    log: () => {},
    host: time,
  });
  const incidentDeps = incidentWorkerDeps(infrastructure, { channel: INCIDENTS_CHANNEL, config: DEFAULT_ATTENTION });
  const bus: LocalBus = new LocalBus(routes, {
    incident: (event) => handleIncidentEvent(event, incidentDeps),
    escalation: (event) => escalations.worker(event),
    history: (event) => handleHistoryEvent(event, { store, clock: time, retentionDays: 180, deployedStatuses: [] }),
    answer: async () => {},
    approval: (event) =>
      handleApprovalWorkerEvent(event, {
        approvals,
        chat,
        outbox: parts.outbox,
        writer,
        bus,
        clock: time,
        claims: incidentDeps.claims,
        config: loadApprovalConfig({}, ['U0BENCHVP']),
      }),
  });
  const secrets = new EnvSecrets(Object.fromEntries(sources.map((s) => [s.secretName, LOAD_SECRETS[s.name] ?? ''])));
  const ingestDeps = { store, bus, secrets, clock: time, maxBodyBytes: 1024 * 1024 };
  const settle = () => escalations.timers.idle();
  const deliver = async (d: ScenarioDelivery) => {
    const signed = (signers[d.source] ?? (() => ({ headers: {}, body: d.body })))(d, LOAD_SECRETS[d.source] ?? '', time.now());
    await ingestWebhook(
      d.source,
      { method: 'POST', headers: { 'content-type': 'application/json', ...signed.headers }, body: Buffer.from(signed.body) },
      ingestDeps,
    );
    await bus.drain();
  };
  /** Sends each delivery at its own time (the clock moves there first, firing any timer due on the way). */
  const replay = async (timed: { at: number; delivery: ScenarioDelivery }[]) => {
    for (const { at, delivery } of [...timed].sort((a, b) => a.at - b.at)) {
      if (at > time.now().getTime()) await time.advance(at - time.now().getTime(), settle);
      await deliver(delivery);
    }
  };
  const drain = () => drainOutbox(parts, time);
  const digest = () => runDigest(digestWorkerDeps(infrastructure, loadDigestConfig({})), { manual: true });
  return { time, chat, deliver, replay, drain, digest, settle, stop: () => escalations.stop() };
}

/** Whether the outbox still has anything to post or edit, whenever it is due. */
export async function outboxHasWork(parts: OutboxParts): Promise<boolean> {
  return (await parts.store.due(END_OF_TIME, 1)).length > 0;
}

/** Runs the sweeper until nothing is due, edits included. */
async function drainOutbox(parts: OutboxParts, time: VirtualTime): Promise<void> {
  for (let pass = 0; pass < 50 && (await outboxHasWork(parts)); pass++) {
    await time.advance(60_000);
    await sweepOutbox(parts);
  }
}

const occurredAt = (delivery: ScenarioDelivery): number => Date.parse((JSON.parse(delivery.body) as { event: { occurred_at: string } }).event.occurred_at);

function topLevel(chat: InboxChat): Map<string, { messages: number; replies: number }> {
  const byChannel = new Map<string, { messages: number; replies: number }>();
  for (const thread of chat.threads()) {
    const entry = byChannel.get(thread.parent.channel) ?? { messages: 0, replies: 0 };
    entry.messages += 1;
    entry.replies += thread.replies.length;
    byChannel.set(thread.parent.channel, entry);
  }
  return byChannel;
}

/**
 * attention.storm.incident_posts: 40 P2 incidents triggered within two minutes, with 60 P3s among
 * them, through ingest and the incident worker (virtual time, in-memory Slack). Top-level posts in
 * the incident channel: the briefs before the storm threshold, then one roll-up.
 */
export async function benchStorm(db: DynamoDBDocumentClient): Promise<Figure[]> {
  const start = new Date(Date.now() - 3_600_000);
  const s = await service(db, 'storm', start);
  try {
    // Two in five are P2: 40 P2s and 60 P3s, one every 1.2 s (two minutes).
    const triggers = pagerDutyStorm({ prefix: 'QSTORM', firstNumber: 9000, count: 100, start, spacingMs: 1_200, priority: (i) => (i % 5 < 2 ? 'P2' : 'P3') });
    await s.replay(triggers);
    await s.drain();
    const channel = topLevel(s.chat).get(INCIDENTS_CHANNEL) ?? { messages: 0, replies: 0 };
    return [
      {
        id: 'attention.storm.incident_posts',
        label: `top-level posts in the incident channel for 40 P2 incidents triggered within 2 min plus 60 P3s (INCIDENT_STORM_THRESHOLD 5, window 10m; ingest and workers in process, virtual time); ${channel.replies} thread replies; the issue measured 150 briefs and 300 replies for a 150-incident burst`,
        value: channel.messages,
        unit: 'posts',
        target: 6,
        better: 'lower',
      },
    ];
  } finally {
    await s.stop();
  }
}

interface DayMix {
  name: string;
  /** Which of the day's incidents (by index) stay at P3 all their life; the rest follow the scenario (P1, lowered to P2). */
  isP3: (index: number) => boolean;
  source: string;
}

/** The bench's day (scripts/bench/cost.ts DAILY_MIX) run through the service; top-level messages by channel, scaled to a day. */
async function attentionDay(db: DynamoDBDocumentClient, mix: DayMix) {
  // 00:00 UTC on a Tuesday: the day's incidents and approvals spread evenly through it.
  const dayStart = new Date('2026-11-24T00:00:00Z');
  const s = await service(db, `day-${mix.name}`, dayStart);
  try {
    const timed: { at: number; delivery: ScenarioDelivery }[] = [];
    const spacing = 86_400_000 / DAILY_MIX.incidents;
    for (let i = 0; i < DAILY_MIX.incidents; i++) {
      const deliveries = pagerDutyIncidentScenario({
        incidentId: `QDAY${mix.name}${i}`,
        number: 9200 + i,
        start: new Date(dayStart.getTime() + i * spacing + 60_000),
      });
      for (const d of deliveries) timed.push({ at: occurredAt(d), delivery: mix.isP3(i) ? withPriority(d, 'P3') : d });
    }
    for (let i = 0; i < DAILY_MIX.approvals; i++) {
      const at = new Date(dayStart.getTime() + (i + 0.5) * (86_400_000 / DAILY_MIX.approvals));
      timed.push({ at: at.getTime(), delivery: jiraTransition(900 + i, 'Awaiting VP Approval', at) });
    }
    await s.replay(timed);
    await s.time.advance(dayStart.getTime() + 86_400_000 - s.time.now().getTime(), s.settle);
    await s.digest();
    await s.drain();
    const day = topLevel(s.chat);

    // What posts nothing by design, sampled and scaled: Jira transitions, applicant-tracking moves, GitHub deliveries.
    const before = [...day.values()].reduce((sum, c) => sum + c.messages, 0);
    const now = s.time.now();
    const samples = [
      ...Array.from({ length: SAMPLE }, (_, i) => jiraTransition(1000 + i, 'In Progress', now)),
      ...Array.from({ length: SAMPLE }, (_, i) => atsMove(2000 + i, now, (['greenhouse', 'lever', 'ashby'] as const)[i % 3] ?? 'greenhouse')),
      ...[0, 1, 2].flatMap((i) => gitHubDeploymentScenario({ run: `attention${mix.name}${i}`, start: new Date(now.getTime() - 3_600_000) })),
    ];
    for (const d of samples) await s.deliver(d);
    await s.drain();
    const after = [...topLevel(s.chat).values()].reduce((sum, c) => sum + c.messages, 0);
    const others = ((after - before) / samples.length) * (DAILY_MIX.jira + DAILY_MIX.ats + DAILY_MIX.github);

    let perDay = others;
    const parts: string[] = [];
    for (const [channel, counts] of [...day].sort()) {
      const scale = channel === '#exec-digest' ? DIGESTS_PER_DAY : 1;
      perDay += counts.messages * scale;
      parts.push(`${channel} ${round(counts.messages * scale, 2)} (+${round(counts.replies * scale, 1)} replies)`);
    }
    return { perDay, parts, others };
  } finally {
    await s.stop();
  }
}

/**
 * attention.vp_messages_per_day: top-level messages a day in the VP-facing channels for the bench's
 * 10,000-webhook day, with the day's priority mix as the bench already assumes it and, for
 * comparison, with the mix the issue reports (two thirds P3).
 */
export async function benchAttentionBudget(db: DynamoDBDocumentClient): Promise<Figure[]> {
  const mixes: DayMix[] = [
    {
      name: 'bench',
      isP3: () => false,
      source: `the bench's day as scripts/bench/cost.ts DAILY_MIX assumes it: ${DAILY_MIX.incidents} incidents of local/scenarios/pagerduty-incident.ts, each triggered at P1 and lowered to P2 after 20 min (no P3)`,
    },
    {
      name: 'issue',
      isP3: (i) => i % 3 !== 0,
      source: `two thirds P3 (the 150-incident burst issue 18 reports): ${DAILY_MIX.incidents - Math.ceil(DAILY_MIX.incidents / 3)} of the ${DAILY_MIX.incidents} incidents P3 all their life, the rest the P1 scenario`,
    },
  ];
  const figures: Figure[] = [];
  for (const mix of mixes) {
    const { perDay, parts, others } = await attentionDay(db, mix);
    figures.push({
      id: `attention.vp_messages_per_day.${mix.name}`,
      label: `top-level messages a day in the VP-facing channels, ${DAILY_MIX.incidents} incidents and ${DAILY_MIX.approvals} approvals spread evenly through the day, one digest each weekday (5/7); priority mix: ${mix.source}. By channel: ${parts.join(', ')}; Jira, applicant-tracking and GitHub traffic ${round(others, 1)} (sampled, scaled); the weekly update (#exec-staff, once a week) and answers to questions are not in the bench's day`,
      value: round(perDay, 1),
      unit: 'msgs/day',
      better: 'lower',
    });
  }
  return figures;
}
