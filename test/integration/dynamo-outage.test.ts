import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { createDocumentClient, INGEST_DYNAMO_LIMITS } from '../../functions/adapters/dynamo-client';
import { dynamoReadiness } from '../../functions/adapters/dynamo-health';
import { DynamoStore } from '../../functions/adapters/dynamo-store';
import { EnvSecrets } from '../../functions/adapters/env-secrets';
import type { CanonicalEvent } from '../../functions/core/canonical-event';
import { httpApiHandler } from '../../functions/core/api-gateway';
import { ingestWebhook, type IngestDeps } from '../../functions/ingest/ingest';
import type { EventBus } from '../../functions/ports/bus';
import { pagerDutyIncidentScenario } from '../../local/scenarios/pagerduty-incident';
import { freshTable } from '../support/dynamo';
import { FAKE_PAGERDUTY_SECRET, signedPagerDutyRequest } from '../support/signed-request';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

class RecordingBus implements EventBus {
  published: CanonicalEvent[] = [];
  async publish(events: readonly CanonicalEvent[]): Promise<void> {
    this.published.push(...events);
  }
}

const proxies: TcpProxy[] = [];
afterEach(async () => {
  for (const proxy of proxies.splice(0)) await proxy.close();
});

/** Ingest talking to DynamoDB Local through a proxy the test can stop, with the production limits. */
async function setup() {
  const table = await freshTable('outage');
  const proxy = await startTcpProxy(table.endpoint);
  proxies.push(proxy);
  const db = createDocumentClient({ endpoint: proxy.endpoint, limits: INGEST_DYNAMO_LIMITS });
  // A running service's client is warm (SDK modules loaded, connection open) when DynamoDB goes away.
  await dynamoReadiness(db, table.tableName);
  const bus = new RecordingBus();
  const deps: IngestDeps = {
    store: new DynamoStore(db, table.tableName),
    bus,
    secrets: new EnvSecrets({ PAGERDUTY_WEBHOOK_SECRET: FAKE_PAGERDUTY_SECRET }),
    clock: { now: () => new Date('2026-11-24T09:00:00Z') },
    maxBodyBytes: 1024 * 1024,
  };
  return { table, proxy, db, bus, deps };
}

const [triggered, escalated] = pagerDutyIncidentScenario({ incidentId: 'QOUTAGE' });
if (!triggered || !escalated) throw new Error('scenario too short');
const send = (deps: IngestDeps, d: typeof triggered) => ingestWebhook('pagerduty', signedPagerDutyRequest(d.body, d.deliveryId), deps);

async function timed<T>(run: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await run();
  return { result, ms: performance.now() - started };
}

describe('ingest with DynamoDB unreachable', () => {
  it.each([
    ['stopped (connection refused)', (proxy: TcpProxy) => proxy.down()],
    ['hanging (accepts, never answers)', (proxy: TcpProxy) => proxy.hang()],
  ])('DynamoDB %s mid-run: 503 with a reason within a second, nothing written, the retry after it returns is accepted', async (_, fail) => {
    const { table, proxy, bus, deps } = await setup();
    const first = await send(deps, triggered);
    expect(first.status, JSON.stringify(first.body)).toBe(202);

    await fail(proxy);
    const { result: during, ms } = await timed(() => send(deps, escalated));
    expect(during.status).toBe(503);
    expect(String(during.body.error)).toMatch(/unavailable.*retry/);
    expect(ms).toBeLessThan(1000);
    expect(bus.published.map((e) => e.type)).toEqual(['incident.triggered']);

    await proxy.up();
    const retry = await send(deps, escalated);
    expect(retry.status).toBe(202);
    expect(bus.published.map((e) => e.type)).toEqual(['incident.triggered', 'incident.escalated']);
    const items = await table.items();
    expect(items.map((item) => [item.deliveryId, item.state]).sort()).toEqual(
      [
        [triggered.deliveryId, 'received'],
        [escalated.deliveryId, 'received'],
      ].sort(),
    );
  });

  it('the Lambda adapter answers 503 with the reason, not a 500', async () => {
    const { proxy, deps } = await setup();
    await proxy.down();
    const handler = httpApiHandler('webhook', (request) => ingestWebhook('pagerduty', request, deps));
    const request = signedPagerDutyRequest(triggered.body, triggered.deliveryId);
    const event = {
      rawPath: '/webhooks/pagerduty',
      headers: request.headers,
      body: triggered.body,
      isBase64Encoded: false,
      pathParameters: { source: 'pagerduty' },
      requestContext: { http: { method: 'POST' } },
    } as unknown as APIGatewayProxyEventV2;
    const response = await handler(event);
    expect(response.statusCode).toBe(503);
    expect(JSON.parse(String(response.body)).error).toMatch(/store unavailable.*retry/);
  });

  it('readiness follows DynamoDB: ready, then not ready with a reason, then ready again', async () => {
    const { table, proxy, db } = await setup();
    expect(await dynamoReadiness(db, table.tableName)).toEqual({ ready: true });
    await proxy.down();
    const down = await dynamoReadiness(db, table.tableName);
    expect(down).toMatchObject({ ready: false, reason: expect.stringMatching(/DynamoDB .* cannot be read/) });
    await proxy.up();
    expect(await dynamoReadiness(db, table.tableName)).toEqual({ ready: true });
    // A table that does not exist is not ready either (wrong TABLE_NAME).
    expect(await dynamoReadiness(db, `${table.tableName}-missing`)).toMatchObject({ ready: false });
  });
});
