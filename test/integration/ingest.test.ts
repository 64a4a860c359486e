import { describe, expect, it } from 'vitest';
import { DynamoStore } from '../../functions/adapters/dynamo-store';
import { EnvSecrets } from '../../functions/adapters/env-secrets';
import type { CanonicalEvent } from '../../functions/core/canonical-event';
import { ingestWebhook, type IngestDeps } from '../../functions/ingest/ingest';
import type { EventBus } from '../../functions/ports/bus';
import { pagerDutyIncidentScenario } from '../../local/scenarios/pagerduty-incident';
import { freshTable } from '../support/dynamo';
import { FAKE_PAGERDUTY_SECRET, signedPagerDutyRequest } from '../support/signed-request';

/** A bus that records what it is given and can be told to fail, as EventBridge sometimes does. */
class RecordingBus implements EventBus {
  published: CanonicalEvent[] = [];
  failuresLeft = 0;
  async publish(events: readonly CanonicalEvent[]): Promise<void> {
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new Error('PutEvents failed: InternalFailure');
    }
    this.published.push(...events);
  }
}

async function setup(maxBodyBytes = 1024 * 1024) {
  const table = await freshTable('ingest');
  const bus = new RecordingBus();
  const deps: IngestDeps = {
    store: new DynamoStore(table.db, table.tableName),
    bus,
    secrets: new EnvSecrets({ PAGERDUTY_WEBHOOK_SECRET: FAKE_PAGERDUTY_SECRET }),
    clock: { now: () => new Date('2026-11-24T09:00:00Z') },
    maxBodyBytes,
  };
  return { table, bus, deps };
}

const scenario = pagerDutyIncidentScenario({ incidentId: 'QINGEST' });
const [triggered] = scenario;
const annotated = scenario.find((delivery) => delivery.body.includes('"incident.annotated"'));
if (!triggered) throw new Error('scenario is empty');

describe('ingest POST /webhooks/{source}', () => {
  it('accepts a signed delivery: one record, one published event, 202', async () => {
    const { table, bus, deps } = await setup();
    const response = await ingestWebhook('pagerduty', signedPagerDutyRequest(triggered.body, triggered.deliveryId), deps);
    expect(response).toEqual({ status: 202, body: { status: 'accepted', deliveryId: triggered.deliveryId, events: ['incident.triggered'] } });
    expect(bus.published.map((e) => e.type)).toEqual(['incident.triggered']);
    const items = await table.items();
    expect(items).toHaveLength(1);
    // One write on the happy path: the record is never updated after the publish (ADR 0013).
    expect(items[0]).toMatchObject({ pk: `DELIVERY#pagerduty#${triggered.deliveryId}`, state: 'received', eventIds: [bus.published[0]?.id] });
    expect(items[0]?.expiresAt).toEqual(expect.any(Number));
    // The bus has every fact, so the record keeps only what de-duplication needs: one write unit.
    expect(items[0]).not.toHaveProperty('rawBody');
    expect(Buffer.byteLength(JSON.stringify(items[0]))).toBeLessThan(1024);
  });

  it('keeps the body in the delivery record when a fact had to be clipped for the bus', async () => {
    const { table, bus, deps } = await setup();
    if (!annotated) throw new Error('scenario has no note');
    const body = JSON.parse(annotated.body) as { event: { data: { content: string } } };
    body.event.data.content = `Root cause: ${'a connection pool exhausted by retries; '.repeat(80)}`;
    const text = JSON.stringify(body);
    await ingestWebhook('pagerduty', signedPagerDutyRequest(text, annotated.deliveryId), deps);
    expect(bus.published[0]?.facts.trimmedFacts).toEqual(['note']);
    const [item] = await table.items();
    expect(item).toMatchObject({ pk: `DELIVERY#pagerduty#${annotated.deliveryId}`, rawBody: text, rawBodyTruncated: false });
  });

  it('republishes the first redelivery once and confirms it; later redeliveries answer 200 and change nothing', async () => {
    const { table, bus, deps } = await setup();
    await ingestWebhook('pagerduty', signedPagerDutyRequest(triggered.body, triggered.deliveryId), deps);
    const first = await ingestWebhook('pagerduty', signedPagerDutyRequest(triggered.body, triggered.deliveryId), deps);
    // Ingest cannot tell a publish that succeeded silently from one that crashed: it publishes again.
    expect(first).toMatchObject({ status: 202, body: { status: 'accepted', republished: true } });
    expect(bus.published.map((e) => e.id)).toEqual([bus.published[0]?.id, bus.published[0]?.id]);
    expect((await table.items())[0]).toMatchObject({ state: 'published' });
    const before = await table.items();
    const again = await ingestWebhook('pagerduty', signedPagerDutyRequest(triggered.body, triggered.deliveryId), deps);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'duplicate' });
    expect(bus.published).toHaveLength(2);
    expect(await table.items()).toEqual(before);
  });

  it('rejects bad requests with a reason and writes nothing', async () => {
    const { table, bus, deps } = await setup(2048);
    const good = signedPagerDutyRequest(triggered.body, triggered.deliveryId);
    const cases: [string, Parameters<typeof ingestWebhook>[1], number, RegExp][] = [
      ['missing signature', { ...good, headers: { ...good.headers, 'x-pagerduty-signature': undefined } }, 401, /signature/],
      ['wrong secret', signedPagerDutyRequest(triggered.body, 'd1', 'not-the-secret'), 401, /signature/],
      ['tampered body', { ...good, body: Buffer.from(triggered.body.replace('P1', 'P3')) }, 401, /signature/],
      ['malformed JSON', signedPagerDutyRequest('{"event":', 'd2'), 400, /JSON/],
      ['body swapped after signing', { ...signedPagerDutyRequest('x', 'd3'), body: Buffer.from([0x7b, 0xff, 0x7d]) }, 401, /signature/],
      [
        'schema failure',
        signedPagerDutyRequest('{"event":{"id":"e","event_type":"incident.triggered","occurred_at":"yesterday"}}', 'd4'),
        400,
        /event\.occurred_at/,
      ],
      ['missing delivery id', { ...good, headers: { ...good.headers, 'x-webhook-id': undefined } }, 400, /delivery id/],
      ['too large', signedPagerDutyRequest(JSON.stringify({ pad: 'x'.repeat(4096) }), 'd5'), 413, /too large/],
      ['wrong method', { ...good, method: 'PUT' }, 405, /method/],
    ];
    for (const [name, request, status, reason] of cases) {
      const response = await ingestWebhook('pagerduty', request, deps);
      expect({ name, status: response.status }).toEqual({ name, status });
      expect(String(response.body.error)).toMatch(reason);
    }
    expect((await ingestWebhook('nosuchvendor', good, deps)).status).toBe(404);
    expect(await table.items()).toEqual([]);
    expect(bus.published).toEqual([]);
  });

  it('rejects a body that is not UTF-8 even when correctly signed', async () => {
    const { table, deps } = await setup();
    const body = Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]);
    const request = signedPagerDutyRequest('', 'd6');
    const { signPagerDutyBody } = await import('../../functions/sources/pagerduty/verify');
    const response = await ingestWebhook(
      'pagerduty',
      { ...request, body, headers: { ...request.headers, 'x-pagerduty-signature': signPagerDutyBody(body, [FAKE_PAGERDUTY_SECRET]) } },
      deps,
    );
    expect(response.status).toBe(400);
    expect(await table.items()).toEqual([]);
  });

  it('accepts and ignores event types it does not use, writing nothing', async () => {
    const { table, bus, deps } = await setup();
    const body = JSON.stringify({
      event: { id: 'e1', event_type: 'service.updated', occurred_at: '2026-11-24T09:00:00Z', data: { id: 'S', type: 'service' } },
    });
    const response = await ingestWebhook('pagerduty', signedPagerDutyRequest(body, 'svc-1'), deps);
    expect(response).toEqual({ status: 202, body: { status: 'ignored', reason: expect.stringContaining('service.updated') } });
    expect(await table.items()).toEqual([]);
    expect(bus.published).toEqual([]);
  });

  it('never loses an event when publishing fails: 503, then the retry publishes it', async () => {
    const { table, bus, deps } = await setup();
    bus.failuresLeft = 1;
    const first = await ingestWebhook('pagerduty', signedPagerDutyRequest(triggered.body, triggered.deliveryId), deps);
    expect(first.status).toBe(503);
    expect(bus.published).toEqual([]);
    expect((await table.items())[0]).toMatchObject({ state: 'received' });

    const retry = await ingestWebhook('pagerduty', signedPagerDutyRequest(triggered.body, triggered.deliveryId), deps);
    expect(retry.status).toBe(202);
    expect(bus.published.map((e) => e.id)).toEqual([JSON.parse(triggered.body).event.id]);
    expect((await table.items())[0]).toMatchObject({ state: 'published' });
  });

  it('keeps one delivery record for five concurrent redeliveries', async () => {
    const { table, deps } = await setup();
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => ingestWebhook('pagerduty', signedPagerDutyRequest(triggered.body, triggered.deliveryId), deps)),
    );
    for (const response of responses) expect(response.status).toBeGreaterThanOrEqual(200);
    for (const response of responses) expect(response.status).toBeLessThan(300);
    expect(await table.items()).toHaveLength(1);
  });
});
