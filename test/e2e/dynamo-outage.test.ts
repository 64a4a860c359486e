import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pagerDutyIncidentScenario } from '../../local/scenarios/pagerduty-incident';
import { sendDelivery } from '../../local/scenarios/send';
import { type LocalProcess, startLocalProcess } from '../support/local-process';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

const SECRET = 'fake-pagerduty-secret-for-outage';

describe('npm start with DynamoDB going away and coming back', () => {
  let proxy: TcpProxy;
  let service: LocalProcess;

  beforeAll(async () => {
    proxy = await startTcpProxy(inject('dynamoEndpoint'));
    service = await startLocalProcess({
      DYNAMODB_ENDPOINT: proxy.endpoint,
      TABLE_NAME: `outage-${randomUUID()}`,
      PAGERDUTY_WEBHOOK_SECRET: SECRET,
      SLACK_BOT_TOKEN: '',
    });
  });
  afterAll(async () => {
    await service?.stop();
    await proxy?.close();
  });

  it('/readyz and webhooks answer 503 with a reason while DynamoDB is down, /healthz stays up, and the retry is accepted after', async () => {
    const [triggered, escalated] = pagerDutyIncidentScenario({ incidentId: 'QE2EOUTAGE' });
    if (!triggered || !escalated) throw new Error('scenario too short');
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
    const first = await sendDelivery(service.url, triggered, SECRET);
    expect(first.status, JSON.stringify(first.body)).toBe(202);

    await proxy.down();
    const ready = await fetch(`${service.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ready: false, reason: expect.stringContaining('DynamoDB') });
    expect(await (await fetch(`${service.url}/healthz`)).json()).toEqual({ ok: true });
    const during = await sendDelivery(service.url, escalated, SECRET);
    expect(during.status).toBe(503);
    expect(during.body).toMatchObject({ error: expect.stringMatching(/unavailable.*retry/) });
    expect(during.ms).toBeLessThan(1000);

    await proxy.up();
    expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
    const retry = await sendDelivery(service.url, escalated, SECRET);
    expect(retry.status, JSON.stringify(retry.body)).toBe(202);
    // The retry was recorded afresh: the 503 left no half-written record behind it to republish.
    expect(retry.body).not.toHaveProperty('republished');
  });
});
