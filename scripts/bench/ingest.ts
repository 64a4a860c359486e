import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, LOCAL_INGEST_DYNAMO_LIMITS } from '../../functions/adapters/dynamo-client';
import { deliveryItem } from '../../functions/adapters/dynamo-deliveries';
import { DynamoStore } from '../../functions/adapters/dynamo-store';
import { createTableIfMissing } from '../../functions/adapters/dynamo-table';
import { EnvSecrets } from '../../functions/adapters/env-secrets';
import { EventBridgeBus } from '../../functions/adapters/eventbridge-bus';
import type { CanonicalEvent } from '../../functions/core/canonical-event';
import { tableDefinition as t } from '../../functions/core/table-definition';
import { type IngestDeps, ingestWebhook } from '../../functions/ingest/ingest';
import { trimForBus } from '../../functions/ingest/trim-for-bus';
import { systemClock } from '../../functions/ports/clock';
import { pagerDutySource } from '../../functions/sources/pagerduty';
import { signPagerDutyBody } from '../../functions/sources/pagerduty/verify';
import { startLocalRuntime } from '../../local/runtime';
import { pagerDutyIncidentScenario, type ScenarioDelivery } from '../../local/scenarios/pagerduty-incident';
import { sendDelivery } from '../../local/scenarios/send';
import { startFakeEventBridge } from './fake-eventbridge';
import { alternate, type Figure, inFlight, percentile, round } from './figures';

const SECRET = 'fake-pagerduty-secret-for-bench';
const ROUNDS = Number(process.env.BENCH_INGEST_ROUNDS ?? 300);
const THROUGHPUT_REQUESTS = Number(process.env.BENCH_THROUGHPUT_REQUESTS ?? 400);
const CONCURRENCY = 16;

function deliveries(count: number, prefix: string): ScenarioDelivery[] {
  const out: ScenarioDelivery[] = [];
  for (let i = 0; out.length < count; i++) out.push(...pagerDutyIncidentScenario({ incidentId: `Q${prefix}${i}`, number: 9000 + i }));
  return out.slice(0, count).map((d) => ({ ...d, deliveryId: `${prefix}-${d.deliveryId}` }));
}

/** The floor's input, prepared outside the timing: the item ingest would write and the events it would publish. */
function floorInput(delivery: ScenarioDelivery, tableName: string): { item: Record<string, unknown>; events: CanonicalEvent[] } {
  const normalized = pagerDutySource.normalize(JSON.parse(delivery.body), delivery.deliveryId);
  const events = normalized.ignored ? [] : normalized.events.map(trimForBus);
  const now = new Date();
  const item = deliveryItem({
    source: 'floor',
    deliveryId: delivery.deliveryId,
    events,
    receivedAt: now,
    expiresAt: new Date(now.getTime() + 30 * 86_400_000),
  });
  return { events, item: { TableName: tableName, ...item } };
}

/** A bare HTTP server around ingest alone (what the Lambda runs), publishing to the fake EventBridge. */
async function ingestOnlyServer(deps: IngestDeps): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]));
      ingestWebhook((req.url ?? '').split('/').pop() ?? '', { method: req.method ?? 'POST', headers, body: Buffer.concat(chunks) }, deps)
        .then((response) => res.writeHead(response.status, { 'content-type': 'application/json' }).end(JSON.stringify(response.body)))
        .catch(() => res.writeHead(500).end('{}'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * ingest.p50/p99.ratio: a new signed PagerDuty delivery through ingest alone (in process, as
 * the Lambda handler runs it) against the floor: the same conditional put of the same item and
 * the same PutEvents, bare, with the same clients, alternating. ingest.throughput: 16 in
 * flight over loopback HTTP, ingest alone, then the whole local runtime with its workers.
 */
export async function benchIngest(dynamoEndpoint: string): Promise<Figure[]> {
  const eventBridge = await startFakeEventBridge();
  const db = createDocumentClient({ endpoint: dynamoEndpoint, limits: LOCAL_INGEST_DYNAMO_LIMITS });
  const ebClient = new EventBridgeClient({
    endpoint: eventBridge.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const tableName = `bench-ingest-${Date.now()}`;
  await createTableIfMissing(db, tableName);
  const bus = new EventBridgeBus(ebClient, 'bench-bus');
  const deps: IngestDeps = {
    store: new DynamoStore(db, tableName),
    bus,
    secrets: new EnvSecrets({ PAGERDUTY_WEBHOOK_SECRET: SECRET }),
    clock: systemClock,
    maxBodyBytes: 1024 * 1024,
  };
  try {
    const warm = 40;
    const sample = deliveries(ROUNDS + warm, 'lat');
    // Signed before the clock starts: signing is the sender's work.
    const requests = sample.map((d) => ({
      method: 'POST',
      headers: { 'x-webhook-id': d.deliveryId, 'x-pagerduty-signature': signPagerDutyBody(d.body, [SECRET]) },
      body: Buffer.from(d.body),
    }));
    const floors = sample.map((d) => floorInput(d, tableName));
    let failures = 0;
    const ingest = async (i: number) => {
      const response = await ingestWebhook('pagerduty', requests[i] as (typeof requests)[number], deps);
      if (response.status !== 202) failures += 1;
    };
    const floor = async (i: number) => {
      const { item, events } = floors[i] as ReturnType<typeof floorInput>;
      const { TableName, ...Item } = item;
      await db.send(
        new PutCommand({
          TableName: TableName as string,
          Item,
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': t.partitionKey },
        }),
      );
      await bus.publish(events);
    };
    await alternate(warm, ingest, floor);
    const timed = await alternate(
      ROUNDS,
      (i) => ingest(i + warm),
      (i) => floor(i + warm),
    );
    if (failures > 0) throw new Error(`ingest answered other than 202 ${failures} times during the ratio run`);
    const p50 = { ingest: percentile(timed.a, 50), floor: percentile(timed.b, 50) };
    const p99 = { ingest: percentile(timed.a, 99), floor: percentile(timed.b, 99) };

    // Throughput, ingest alone: the bare server, 16 in flight.
    const server = await ingestOnlyServer(deps);
    let aloneErrors = 0;
    const alone = deliveries(THROUGHPUT_REQUESTS, 'tpa');
    const aloneMs = await inFlight(alone, CONCURRENCY, async (d) => {
      if ((await sendDelivery(server.url, d, SECRET).catch(() => ({ status: 599 }))).status >= 500) aloneErrors += 1;
    });
    await server.close();

    // Throughput with the workers: the local runtime in this process (its bus runs the workers as events arrive).
    const runtime = await startLocalRuntime({
      PORT: '0',
      HOST: '127.0.0.1',
      DYNAMODB_ENDPOINT: dynamoEndpoint,
      TABLE_NAME: `bench-workers-${Date.now()}`,
      PAGERDUTY_WEBHOOK_SECRET: SECRET,
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    });
    let workerErrors = 0;
    const withWorkers = deliveries(THROUGHPUT_REQUESTS, 'tpw');
    let workersMs: number;
    try {
      workersMs = await inFlight(withWorkers, CONCURRENCY, async (d) => {
        if ((await sendDelivery(runtime.url, d, SECRET).catch(() => ({ status: 599 }))).status >= 500) workerErrors += 1;
      });
      await runtime.bus.drain();
    } finally {
      await runtime.close();
    }
    const errors = (n: number) => (n > 0 ? ` (${n} answered 5xx or not within 10 s)` : '');
    return [
      {
        id: 'ingest.p50.ratio',
        label: `new delivery through ingest vs bare conditional put + PutEvents, p50 of ${ROUNDS} alternating (ms)`,
        value: round(p50.ingest),
        unit: 'ms',
        floor: round(p50.floor),
        ratio: round(p50.ingest / p50.floor),
        target: 1.5,
        better: 'lower',
      },
      {
        id: 'ingest.p99.ratio',
        label: `the same, p99 (ms)`,
        value: round(p99.ingest),
        unit: 'ms',
        floor: round(p99.floor),
        ratio: round(p99.ingest / p99.floor),
        better: 'lower',
      },
      {
        id: 'ingest.throughput',
        label: `webhooks/s, 16 in flight over loopback, ingest alone${errors(aloneErrors)}`,
        value: round((alone.length / aloneMs) * 1000, 1),
        unit: 'webhooks/s',
        better: 'higher',
      },
      {
        id: 'ingest.throughput.with_workers',
        label: `webhooks/s, 16 in flight, local runtime with its workers in process${errors(workerErrors)}`,
        value: round((withWorkers.length / workersMs) * 1000, 1),
        unit: 'webhooks/s',
        better: 'higher',
      },
    ];
  } finally {
    db.destroy();
    ebClient.destroy();
    await eventBridge.close();
  }
}
