import { incidentAttentionStores } from '../../functions/adapters/dynamo-attention';
import { DynamoWriteClaims } from '../../functions/adapters/dynamo-write-claims';
import { createDocumentClient } from '../../functions/adapters/dynamo-client';
import { DynamoApprovalStore } from '../../functions/adapters/dynamo-approvals';
import { DynamoStore } from '../../functions/adapters/dynamo-store';
import { createTableIfMissing } from '../../functions/adapters/dynamo-table';
import { EnvSecrets } from '../../functions/adapters/env-secrets';
import { SECRET_CACHE_SECONDS } from '../../functions/adapters/secrets-manager-secrets';
import { InboxChat } from '../../functions/adapters/inbox-chat';
import { LocalBus, type Worker } from '../../functions/adapters/local-bus';
import { loadApprovalConfig } from '../../functions/approvals/approval-config';
import { handleApprovalWorkerEvent } from '../../functions/approvals/approval-worker';
import { expireOverdue } from '../../functions/approvals/expiry';
import type { CanonicalEvent } from '../../functions/core/canonical-event';
import { routes, type WorkerName } from '../../functions/core/routing';
import { loadDigestConfig } from '../../functions/digest/digest-config';
import { runDigest } from '../../functions/digest/digest-runner';
import { handleHistoryEvent } from '../../functions/history/history-worker';
import { handleIncidentEvent } from '../../functions/incidents/incident-worker';
import { loadEscalationConfig } from '../../functions/escalations/escalation-config';
import { ChannelPacer } from '../../functions/outbox/pacer';
import { startLocalEscalations } from '../../local/escalation-runtime';
import { ingestWebhook } from '../../functions/ingest/ingest';
import { createOutbox } from '../../functions/outbox/create-outbox';
import { sweepOutbox } from '../../functions/outbox/sweeper';
import { systemClock } from '../../functions/ports/clock';
import { sources } from '../../functions/sources/registry';
import { gitHubDeploymentScenario } from '../../local/scenarios/github-deployments';
import { pagerDutyIncidentScenario } from '../../local/scenarios/pagerduty-incident';
import { type ScenarioDelivery, signers } from '../../local/scenarios/signers';
import { atsMove, jiraTransition } from '../load/mix';
import { LOAD_SECRETS } from '../load/run-load';
import { type Figure, round } from './figures';
import { type Units, meterCapacity, withStep } from './metered-client';
import type { DeployedApp } from './functions';
import { PRICES, PRICES_DATE } from './prices';
import type { UsageProfile } from './writer';
import { byModel, type RoutedDocument, RoutedDocumentCounter, type ScenarioPlace } from './model-documents';
import { modelCostPerDay } from './model-cost';

/**
 * The assumed day of a 500-engineer organisation: 10,000 webhooks. 40 PagerDuty incidents of
 * seven deliveries (the scenario's lifecycle), 20 Jira issues moved to VP approval, 6,200 other
 * Jira transitions, 1,500 applicant-tracking moves, 2,000 GitHub deliveries (deployments and
 * merged pull requests); one digest each weekday; approval expiry every 5 minutes and the
 * outbox sweeper every minute (Scheduler).
 */
export const DAILY_MIX = { incidents: 40, approvals: 20, jira: 6_200, ats: 1_500, github: 2_000 } as const;
const DAILY_WEBHOOKS = DAILY_MIX.incidents * 7 + DAILY_MIX.approvals + DAILY_MIX.jira + DAILY_MIX.ats + DAILY_MIX.github;
const DIGESTS_PER_DAY = 5 / 7;
const EXPIRY_RUNS_PER_DAY = 288;
const SWEEPS_PER_DAY = 1_440;
/** Cold starts per function per day (assumed: one every quarter hour, all day). */
const COLD_STARTS_PER_DAY = 96;
/**
 * Reads a day of one secret by one function: once per cold start, as a container keeps it cached for
 * SECRET_CACHE_SECONDS (an hour, longer than the assumed container), so 96; never more than its
 * invocations. Re-reads on a refused value are left out: at most one a minute per container, and only
 * during a rotation or under forged requests.
 */
const SECRET_READS_CAP_PER_DAY = Math.max(COLD_STARTS_PER_DAY, 86_400 / SECRET_CACHE_SECONDS);
/** Approve or Reject clicks a day (one per approval): the interactions function reads its secrets at most this often. */
const CLICKS_PER_DAY = DAILY_MIX.approvals;
const DAYS_PER_MONTH = 30.4;

/** The deployed function (lib/, by its bench name) that runs each costed step. */
const FUNCTION_OF_STEP: Record<string, string> = {
  ingest: 'ingest',
  incident: 'incidents',
  history: 'history',
  approval: 'approvals-worker',
  expiry: 'approvals-expiry',
  digest: 'digest',
  sweeper: 'outbox-sweeper',
  escalation: 'escalations',
};

interface Usage {
  readUnits: number;
  writeUnits: number;
  /** Request units by step (ingest, each worker, outbox, scheduled work). */
  byStep: Map<string, Units>;
  events: number;
  /** The documents the workers asked for, with the writer the default routing gives each. */
  documents: RoutedDocument[];
  /** Per function: invocations and total ms. */
  lambda: Map<string, { invocations: number; ms: number }>;
}

/**
 * cost.aws_usd_month and cost.model_usd_day: the real ingest, workers, digest, expiry and
 * outbox sweep run in process against DynamoDB Local with ReturnConsumedCapacity on every call,
 * each function's time measured, then scaled to DAILY_MIX and priced with prices.ts.
 */
export async function benchCost(dynamoEndpoint: string, profile: UsageProfile, initMs: Record<string, number>, app: DeployedApp): Promise<Figure[]> {
  const deployed = (step: string) => {
    const fn = app.functions.find((f) => f.name === FUNCTION_OF_STEP[step]);
    if (!fn) throw new Error(`no deployed function ${FUNCTION_OF_STEP[step]} for the costed step ${step}: update FUNCTION_OF_STEP`);
    return fn;
  };
  const db = createDocumentClient({ endpoint: dynamoEndpoint });
  const meter = meterCapacity(db);
  // The outbox gets a client of its own, so its units are told apart from the worker that recorded the document.
  const outboxDb = createDocumentClient({ endpoint: dynamoEndpoint });
  meterCapacity(outboxDb, 'outbox', meter);
  const tableName = `bench-cost-${Date.now()}`;
  await createTableIfMissing(db, tableName);
  const store = new DynamoStore(db, tableName);
  const approvals = new DynamoApprovalStore(db, tableName);
  const chat = new InboxChat();
  const writer = new RoutedDocumentCounter();
  const claims = new DynamoWriteClaims(db, tableName);
  const clock = systemClock;
  const outbox = createOutbox(outboxDb, tableName, chat, () => {}, { pacer: new ChannelPacer(1) });
  const escalations = await startLocalEscalations({
    infrastructure: { db, tableName, store, outbox: outbox.outbox, writer, clock },
    config: loadEscalationConfig({}),
    incidentsChannel: '#incidents',
    log: () => {},
  });
  const usage: Usage = { readUnits: 0, writeUnits: 0, byStep: new Map(), events: 0, documents: [], lambda: new Map() };
  const time = async (fn: string, run: () => Promise<unknown>) => {
    const started = performance.now();
    await withStep(fn, run);
    const entry = usage.lambda.get(fn) ?? { invocations: 0, ms: 0 };
    entry.invocations += 1;
    entry.ms += performance.now() - started;
    usage.lambda.set(fn, entry);
  };
  const counted =
    (name: WorkerName, worker: Worker): Worker =>
    (event) =>
      time(name, () => worker(event));
  const workers: Record<WorkerName, Worker> = {
    incident: counted('incident', (event) =>
      handleIncidentEvent(event, { store, outbox: outbox.outbox, writer, clock, channel: '#incidents', ...incidentAttentionStores(db, tableName) }),
    ),
    escalation: counted('escalation', (event) => escalations.worker(event)),
    history: counted('history', (event) => handleHistoryEvent(event, { store, clock, retentionDays: 180, deployedStatuses: [] })),
    // Questions asked in Slack are not in the benchmark's day.
    answer: async () => {},
    approval: counted('approval', (event) =>
      handleApprovalWorkerEvent(event, { approvals, chat, outbox: outbox.outbox, writer, bus, clock, claims, config: loadApprovalConfig({}, ['U0BENCHVP']) }),
    ),
  };
  const localBus = new LocalBus(routes, workers);
  const bus = {
    publish: async (events: readonly CanonicalEvent[]) => {
      usage.events += events.length;
      await localBus.publish(events);
    },
  };
  const secrets = new EnvSecrets(Object.fromEntries(sources.map((s) => [s.secretName, LOAD_SECRETS[s.name] ?? ''])));
  const ingestDeps = { store, bus, secrets, clock, maxBodyBytes: 1024 * 1024 };

  /** Sends a sample through ingest and the workers, one at a time, and returns per-delivery means. */
  const sample = async (deliveries: ScenarioDelivery[], placeOf?: (d: ScenarioDelivery) => ScenarioPlace): Promise<Usage & { n: number }> => {
    meter.reset();
    usage.events = 0;
    usage.lambda = new Map();
    writer.take();
    for (const d of deliveries) {
      writer.at = placeOf?.(d);
      const signed = (signers[d.source] ?? (() => ({ headers: {}, body: d.body })))(d, LOAD_SECRETS[d.source] ?? '', new Date());
      await time('ingest', () =>
        ingestWebhook(
          d.source,
          { method: 'POST', headers: { 'content-type': 'application/json', ...signed.headers }, body: Buffer.from(signed.body) },
          ingestDeps,
        ),
      );
      await localBus.drain();
    }
    writer.at = undefined;
    return {
      readUnits: meter.readUnits,
      writeUnits: meter.writeUnits,
      byStep: meter.byStep,
      events: usage.events,
      documents: writer.take(),
      lambda: usage.lambda,
      n: deliveries.length,
    };
  };

  try {
    const now = new Date();
    const incidentStart = new Date(now.getTime() - 2 * 3_600_000);
    const incidents = [0, 1, 2].flatMap((i) => pagerDutyIncidentScenario({ incidentId: `QCOST${i}`, number: 8700 + i, start: incidentStart }));
    // Each delivery's incident and minutes into it, so the day's cache model sees the model documents at their real offsets.
    const placeOf = (d: ScenarioDelivery): ScenarioPlace => {
      const { event } = JSON.parse(d.body) as { event: { occurred_at: string; data: { id?: string; incident?: { id: string } } } };
      return { scenario: event.data.incident?.id ?? event.data.id ?? d.deliveryId, minute: (Date.parse(event.occurred_at) - incidentStart.getTime()) / 60_000 };
    };
    const samples = {
      incidents: { perDay: DAILY_MIX.incidents * 7, usage: await sample(incidents, placeOf) },
      approvals: { perDay: DAILY_MIX.approvals, usage: await sample([0, 1, 2].map((i) => jiraTransition(900 + i, 'Awaiting VP Approval', now))) },
      jira: { perDay: DAILY_MIX.jira, usage: await sample(Array.from({ length: 30 }, (_, i) => jiraTransition(1000 + i, 'In Progress', now))) },
      ats: {
        perDay: DAILY_MIX.ats,
        usage: await sample(Array.from({ length: 30 }, (_, i) => atsMove(2000 + i, now, (['greenhouse', 'lever', 'ashby'] as const)[i % 3] ?? 'greenhouse'))),
      },
      github: { perDay: DAILY_MIX.github, usage: await sample([0, 1, 2].flatMap((i) => gitHubDeploymentScenario({ run: `cost${i}` }))) },
    };
    // Scheduled work, measured once each and scaled to its schedule.
    const scheduled = async (fn: string, perDay: number, run: () => Promise<unknown>) => {
      meter.reset();
      usage.lambda = new Map();
      await run(); // warm
      meter.reset();
      usage.lambda = new Map();
      writer.take();
      await time(fn, run);
      const documents = writer.take();
      return {
        perDay,
        usage: { readUnits: meter.readUnits, writeUnits: meter.writeUnits, byStep: meter.byStep, events: 0, documents, lambda: usage.lambda, n: 1 },
      };
    };
    const schedules = {
      digest: await scheduled('digest', DIGESTS_PER_DAY, () =>
        runDigest({ store, approvals, ledger: store, writer, outbox: outbox.outbox, clock, claims, config: loadDigestConfig({}) }, { manual: true }),
      ),
      expiry: await scheduled('expiry', EXPIRY_RUNS_PER_DAY, () => expireOverdue({ approvals, bus, clock })),
      sweeper: await scheduled('sweeper', SWEEPS_PER_DAY, () => sweepOutbox(outbox)),
    };

    // Daily totals.
    let rru = 0;
    let wru = 0;
    let events = 0;
    const lambda = new Map<string, { invocations: number; ms: number }>();
    const byStep = new Map<string, Units>();
    for (const { perDay, usage: u } of [...Object.values(samples), ...Object.values(schedules)]) {
      const scale = perDay / u.n;
      rru += u.readUnits * scale;
      wru += u.writeUnits * scale;
      events += u.events * scale;
      for (const [step, units] of u.byStep) {
        const total = byStep.get(step) ?? { read: 0, write: 0 };
        total.read += units.read * scale;
        total.write += units.write * scale;
        byStep.set(step, total);
      }
      for (const [fn, l] of u.lambda) {
        const total = lambda.get(fn) ?? { invocations: 0, ms: 0 };
        total.invocations += l.invocations * scale;
        total.ms += l.ms * scale;
        lambda.set(fn, total);
      }
    }
    let gbSeconds = 0;
    let invocations = 0;
    let secretReads = deployedSecretReads(app, 'approvals-interactions', CLICKS_PER_DAY);
    for (const [step, l] of lambda) {
      const fn = deployed(step);
      const gb = fn.memoryMb / 1024;
      // Billed per millisecond, each invocation rounded up.
      gbSeconds += (gb * (Math.ceil(l.ms / Math.max(1, l.invocations)) * l.invocations)) / 1000;
      gbSeconds += (gb * (COLD_STARTS_PER_DAY * (initMs[fn.name] ?? 300))) / 1000;
      invocations += l.invocations;
      secretReads += deployedSecretReads(app, fn.name, l.invocations);
    }
    const day = {
      dynamodb: (wru * PRICES.dynamodb.writeRequestUnitPerMillion + rru * PRICES.dynamodb.readRequestUnitPerMillion) / 1e6,
      lambda: gbSeconds * PRICES.lambda.armGbSecond + (invocations * PRICES.lambda.requestPerMillion) / 1e6,
      eventBridge: (events * PRICES.eventBridgePerMillionEvents) / 1e6,
      scheduler: ((DIGESTS_PER_DAY + EXPIRY_RUNS_PER_DAY + SWEEPS_PER_DAY) * PRICES.schedulerPerMillionInvocations) / 1e6,
      apiGateway: (DAILY_WEBHOOKS * PRICES.httpApiPerMillionRequests) / 1e6,
      secretCalls: (secretReads / 10_000) * PRICES.secretsManager.perTenThousandCalls,
    };
    const secretCount = app.secrets;
    const month = Object.fromEntries(Object.entries(day).map(([k, v]) => [k, v * DAYS_PER_MONTH])) as Record<keyof typeof day, number>;
    const secretsMonth = secretCount * PRICES.secretsManager.perSecretMonth;
    const awsMonth = Object.values(month).reduce((a, b) => a + b, 0) + secretsMonth;
    const parts = [
      `DynamoDB ${money(month.dynamodb)} (${Math.round(wru)} WRU + ${Math.round(rru)} RRU a day)`,
      `Lambda ${money(month.lambda)} (${Math.round(invocations)} invocations, ${Math.round(gbSeconds)} GB-s a day)`,
      `EventBridge ${money(month.eventBridge)} (${Math.round(events)} events a day)`,
      `Scheduler ${money(month.scheduler)}`,
      `API Gateway ${money(month.apiGateway)}`,
      `Secrets Manager ${money(secretsMonth + month.secretCalls)} (${secretCount} secrets, ${Math.round(secretReads)} reads a day: ` +
        `each function reads each of its secrets once per cold start, cached ${SECRET_CACHE_SECONDS / 3600} h, ` +
        `so min(invocations, ${SECRET_READS_CAP_PER_DAY}) a day)`,
    ];

    const model = modelCostPerDay(
      [...Object.values(samples), ...Object.values(schedules)],
      samples.incidents.usage.documents.filter(byModel),
      profile,
      DAILY_MIX,
    );

    return [
      {
        id: 'cost.aws_usd_month',
        label: `AWS a month for ${DAILY_WEBHOOKS.toLocaleString('en')} webhooks a day (prices ${PRICES_DATE}, list, us-east-1, no free tier): ${parts.join('; ')}`,
        value: round(awsMonth, 2),
        unit: 'USD/month',
        target: 2.5,
        better: 'lower',
      },
      ...model,
      {
        id: 'cost.dynamodb_units_per_webhook',
        label: 'DynamoDB request units (read + write) a webhook, measured over the mix, workers included',
        value: round((rru + wru) / DAILY_WEBHOOKS, 2),
        unit: 'RU',
        better: 'lower',
      },
      ...[...byStep].map(([step, units]): Figure => ({
        id: `cost.dynamodb_units_per_webhook.${step}`,
        label: `the same, spent by ${step}: ${round(units.write / DAILY_WEBHOOKS, 2)} write + ${round(units.read / DAILY_WEBHOOKS, 2)} read units a webhook`,
        value: round((units.read + units.write) / DAILY_WEBHOOKS, 2),
        unit: 'RU',
        better: 'lower',
      })),
    ];
  } finally {
    await escalations.stop();
    db.destroy();
    outboxDb.destroy();
  }
}

/** Secrets Manager reads a day by one function: each of its secrets at most once per invocation, and at most SECRET_READS_CAP_PER_DAY. */
function deployedSecretReads(app: DeployedApp, name: string, invocationsPerDay: number): number {
  const fn = app.functions.find((f) => f.name === name);
  return (fn?.secretArns ?? 0) * Math.min(invocationsPerDay, SECRET_READS_CAP_PER_DAY);
}

const money = (usd: number) => `$${usd.toFixed(2)}`;
