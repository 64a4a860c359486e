import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { pagerDutyIncidentScenario } from '../../local/scenarios/pagerduty-incident';
import { sendDelivery } from '../../local/scenarios/send';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { type LocalProcess, startLocalProcess, waitFor } from '../support/local-process';

const SECRET = 'fake-pagerduty-secret-for-escalation-e2e';
const THRESHOLD_MS = 8000;

/**
 * Tried as a new user would: `ESCALATE_P1_UNACKNOWLEDGED_AFTER=8s npm start`, a signed P1
 * `incident.triggered` and nothing else, on the real process with the real Slack client.
 */
describe('escalation end to end (npm start, 8 s threshold → fake Slack)', () => {
  let slack: FakeSlack;
  let service: LocalProcess;
  const env = {
    DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
    TABLE_NAME: `e2e-escalation-${randomUUID()}`,
    PAGERDUTY_WEBHOOK_SECRET: SECRET,
    SLACK_BOT_TOKEN: 'fake-slack-bot-token-for-tests',
    SLACK_CHANNEL_INCIDENTS: 'C0EXECINC',
    SLACK_CHANNEL_ESCALATIONS: 'C0EXECESC',
    SLACK_ESCALATION_USER_ID: 'U0VPENG',
    ESCALATE_P1_UNACKNOWLEDGED_AFTER: '8s',
  };

  beforeAll(async () => {
    slack = await startFakeSlack();
    service = await startLocalProcess({ ...env, SLACK_API_URL: slack.apiUrl });
  });

  afterAll(async () => {
    await service?.stop();
    await slack?.close();
  });

  const escalationsFor = (title: string) =>
    slack.calls.filter((call) => call.method === 'chat.postMessage' && call.args.channel === 'C0EXECESC' && String(call.args.text).includes(title));

  async function trigger(title: string): Promise<number> {
    const [triggered] = pagerDutyIncidentScenario({ title, start: new Date() });
    if (!triggered) throw new Error('empty scenario');
    const sentAt = Date.now();
    expect((await sendDelivery(service.url, triggered, SECRET)).status).toBe(202);
    return sentAt;
  }

  it('one escalation in the escalation channel a few seconds after the threshold, mentioning the VP', async () => {
    const title = 'Search results empty for every query';
    const sentAt = await trigger(title);
    await waitFor(
      () => escalationsFor(title).length > 0,
      () => `an escalation\n${service.output()}`,
      THRESHOLD_MS + 10_000,
    );
    const arrivedAfter = Date.now() - sentAt;
    expect(arrivedAfter).toBeGreaterThanOrEqual(THRESHOLD_MS - 1000);
    expect(arrivedAfter).toBeLessThan(THRESHOLD_MS + 5000);
    const [escalation] = escalationsFor(title);
    expect(String(escalation?.args.text).startsWith('<@U0VPENG> Escalation')).toBe(true);
    expect(JSON.stringify(escalation?.args.blocks)).toContain('Nobody has acknowledged this P1 incident');
    // The incident's own thread says it was escalated and why.
    const notices = () =>
      slack.calls.filter(
        (call) =>
          call.method === 'chat.postMessage' &&
          call.args.channel === 'C0EXECINC' &&
          call.args.thread_ts !== undefined &&
          String(call.args.text).startsWith('Escalated to the VP'),
      );
    await waitFor(
      () => notices().length > 0,
      () => `the notice in the incident thread\n${service.output()}`,
      10_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(escalationsFor(title)).toHaveLength(1);
    expect(notices()).toHaveLength(1);
  }, 45_000);

  it('also when the service is restarted while it waits', async () => {
    const title = 'Login page times out for EU users';
    const sentAt = await trigger(title);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await service.stop();
    service = await startLocalProcess({ ...env, SLACK_API_URL: slack.apiUrl });
    await waitFor(
      () => escalationsFor(title).length > 0,
      () => `an escalation after the restart\n${service.output()}`,
      THRESHOLD_MS + 15_000,
    );
    expect(Date.now() - sentAt).toBeGreaterThanOrEqual(THRESHOLD_MS - 1000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(escalationsFor(title)).toHaveLength(1);
    // The first incident was not escalated again by the restarted process.
    expect(escalationsFor('Search results empty for every query')).toHaveLength(1);
    // A restart on a busy machine (two cores, several test files) can take most of the default 30 s.
  }, 90_000);
});

describe('escalations in the local inbox (npm start without a Slack token)', () => {
  let service: LocalProcess;

  beforeAll(async () => {
    service = await startLocalProcess({
      DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
      TABLE_NAME: `e2e-escalation-inbox-${randomUUID()}`,
      PAGERDUTY_WEBHOOK_SECRET: SECRET,
    });
  });

  afterAll(async () => {
    await service?.stop();
  });

  it("shows PagerDuty's escalation of a P1 at once, marked and mentioning the local VP", async () => {
    const [triggered, escalated] = pagerDutyIncidentScenario({ title: 'Card payments failing in checkout', start: new Date() });
    if (!triggered || !escalated) throw new Error('short scenario');
    for (const delivery of [triggered, escalated]) expect((await sendDelivery(service.url, delivery, SECRET)).status).toBe(202);
    let page = '';
    for (const deadline = Date.now() + 15_000; !page.includes('Escalation: needs the VP');) {
      if (Date.now() > deadline) throw new Error(`the inbox never showed the escalation\n${service.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      page = await (await fetch(`${service.url}/`)).text();
    }
    const escalation = page.slice(page.indexOf('class="thread escalation"'));
    expect(escalation).toContain('#exec-escalations');
    expect(escalation).toContain('@U0LOCALVP');
    expect(escalation).toContain('PagerDuty escalated this P1 incident');
    expect(page.match(/class="thread escalation"/g)).toHaveLength(1);
  });
});
