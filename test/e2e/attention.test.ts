import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pagerDutyIncidentScenario } from '../../local/scenarios/pagerduty-incident';
import { sendDelivery } from '../../local/scenarios/send';
import type { ScenarioDelivery } from '../../local/scenarios/signers';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { type LocalProcess, startLocalProcess, waitFor } from '../support/local-process';

const SECRET = 'fake-pagerduty-secret-for-e2e';
const CHANNEL = 'C0EXECINC';

/** The `incident.triggered` delivery of a fresh incident at `priority`. */
function triggered(n: number, priority: string, start: Date): ScenarioDelivery {
  const [delivery] = pagerDutyIncidentScenario({
    incidentId: `QSTORM${priority}${n}`,
    number: (priority === 'P2' ? 6000 : 7000) + n,
    title: `Storm incident ${n} (${priority})`,
    start,
  });
  if (!delivery) throw new Error('the scenario has no trigger');
  const body = JSON.parse(delivery.body) as { event: { data: { priority: { summary: string; id: string } } } };
  body.event.data.priority = { ...body.event.data.priority, id: `PRI${priority}`, summary: priority };
  return { ...delivery, body: JSON.stringify(body) };
}

describe('attention end to end (npm start, signed webhooks, fake Slack)', () => {
  let slack: FakeSlack;
  let service: LocalProcess;

  beforeAll(async () => {
    slack = await startFakeSlack();
    service = await startLocalProcess({
      DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
      TABLE_NAME: `e2e-attention-${randomUUID()}`,
      PAGERDUTY_WEBHOOK_SECRET: SECRET,
      SLACK_BOT_TOKEN: 'fake-slack-bot-token-for-tests',
      SLACK_API_URL: slack.apiUrl,
      SLACK_CHANNEL_INCIDENTS: CHANNEL,
      SLACK_CHANNEL_ESCALATIONS: 'C0EXECESC',
      OUTBOX_PACE_MS: '50',
    });
  });

  afterAll(async () => {
    await service?.stop();
    await slack?.close();
  });

  it('40 P2s triggered within two minutes plus 60 P3s: at most 6 top-level posts, and every P2 is in a brief or the roll-up', async () => {
    const start = new Date();
    const p2s = Array.from({ length: 40 }, (_, n) => triggered(n, 'P2', new Date(start.getTime() + n * 3_000)));
    const p3s = Array.from({ length: 60 }, (_, n) => triggered(n, 'P3', new Date(start.getTime() + n * 2_000)));
    const all = [...p2s, ...p3s].sort((a, b) => a.deliveryId.localeCompare(b.deliveryId));
    for (let i = 0; i < all.length; i += 8) {
      const results = await Promise.all(all.slice(i, i + 8).map((delivery) => sendDelivery(service.url, delivery, SECRET)));
      expect(results.map((result) => result.status)).toEqual(results.map(() => 202));
    }

    const topLevel = () => slack.messages.filter((message) => message.channel === CHANNEL && !message.thread_ts);
    const shown = () => topLevel().map((message) => JSON.stringify(message.blocks ?? message.text));
    const seen = (n: number) => shown().some((text) => text.includes(`#${6000 + n}`));
    await waitFor(
      () => p2s.every((_, n) => seen(n)),
      () => `every P2 shown; top-level ${topLevel().length}\n${service.output().slice(-2000)}`,
      120_000,
    );

    expect(topLevel().length).toBeLessThanOrEqual(6);
    expect(shown().filter((text) => text.includes('Major event'))).toHaveLength(1);
    // No P3 reached the channel.
    expect(shown().some((text) => text.includes('(P3)'))).toBe(false);
  }, 240_000);
});
