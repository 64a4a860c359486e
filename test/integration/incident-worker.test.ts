import { describe, expect, it } from 'vitest';
import { EnvSecrets } from '../../functions/adapters/env-secrets';
import { InboxChat } from '../../functions/adapters/inbox-chat';
import { LocalBus } from '../../functions/adapters/local-bus';
import type { CanonicalEvent } from '../../functions/core/canonical-event';
import { type Chat, ChatDeliveryError } from '../../functions/ports/chat';
import { routes } from '../../functions/core/routing';
import { handleIncidentEvent } from '../../functions/incidents/incident-worker';
import { ingestWebhook } from '../../functions/ingest/ingest';
import { normalizePagerDutyEvent } from '../../functions/sources/pagerduty/normalize';
import { pagerDutyIncidentScenario } from '../../local/scenarios/pagerduty-incident';
import { incidentWorld } from '../support/incident-world';
import { FAKE_PAGERDUTY_SECRET, signedPagerDutyRequest } from '../support/signed-request';
import { withRetries } from '../support/with-retries';

const start = new Date('2026-11-24T08:00:00.000Z');

function lifecycle(incidentId: string): CanonicalEvent[] {
  return pagerDutyIncidentScenario({ incidentId, start }).flatMap((delivery) => {
    const result = normalizePagerDutyEvent(JSON.parse(delivery.body), delivery.deliveryId);
    return result.ignored ? [] : result.events;
  });
}

const setup = (wrap?: (chat: InboxChat) => Chat) => incidentWorld('incidents', wrap ? { wrapChat: wrap } : {});

describe('incident worker', () => {
  it('posts one brief, one thread reply per later event, and a closing brief with durations', async () => {
    const { chat, deps } = await setup();
    for (const event of lifecycle('QLIFE')) await handleIncidentEvent(event, deps);
    const threads = chat.threads();
    expect(threads).toHaveLength(1);
    const [thread] = threads;
    // Lowered from P1 to P2 before it was resolved: the headline must not contradict the status line.
    expect(thread?.parent.text).toContain('P2 (was P1) incident #4211: Checkout API error rate above 5% in us-east-1');
    expect(thread?.parent.text).toContain('✅ Resolved · P2');
    expect(JSON.stringify(thread?.parent.blocks)).not.toMatch(/(?<!was )P1(?!\))/);
    expect(thread?.replies).toHaveLength(6);
    const closing = JSON.stringify(thread?.replies.at(-1)?.blocks);
    expect(closing).toContain('time to acknowledge 7 min');
    expect(closing).toContain('time to resolve 34 min');
    expect(closing).toContain('Thank you, Marco Diaz');
  });

  it('produces the same single brief and replies whatever the delivery order', async () => {
    const { chat, deps } = await setup();
    const events = lifecycle('QORDER');
    const reordered = [events[2], events[6], events[0], events[4], events[1], events[5], events[3]] as CanonicalEvent[];
    for (const event of reordered) await handleIncidentEvent(event, deps);
    const threads = chat.threads();
    expect(threads).toHaveLength(1);
    expect(threads[0]?.replies).toHaveLength(6);
    expect(threads[0]?.parent.text).toContain('✅ Resolved');
  });

  it('five concurrent redeliveries of the same event yield one timeline entry and one brief', async () => {
    const { table, chat, deps } = await setup();
    const [triggered] = lifecycle('QCONC');
    await Promise.all(Array.from({ length: 5 }, () => withRetries(() => handleIncidentEvent(triggered as CanonicalEvent, deps))));
    expect(chat.threads()).toHaveLength(1);
    expect(chat.threads()[0]?.replies).toHaveLength(0);
    const items = await table.items();
    expect(items.filter((item) => String(item.sk).startsWith('EVENT#'))).toHaveLength(1);
    expect(items.filter((item) => item.sk === 'BRIEF')).toHaveLength(1);
  });

  it('five concurrent signed redeliveries through ingest and the bus: one event record, one brief', async () => {
    const { table, store, chat, deps } = await setup();
    const bus = new LocalBus(
      routes,
      {
        incident: (event) => handleIncidentEvent(event, deps),
        history: async () => {},
        approval: async () => {},
        escalation: async () => {},
        answer: async () => {},
      },
      { retryDelaysMs: [20, 50, 100, 200, 400] },
    );
    const ingestDeps = {
      store,
      bus,
      secrets: new EnvSecrets({ PAGERDUTY_WEBHOOK_SECRET: FAKE_PAGERDUTY_SECRET }),
      clock: { now: () => new Date() },
      maxBodyBytes: 1 << 20,
    };
    const [triggered] = pagerDutyIncidentScenario({ incidentId: 'QBUS', start });
    if (!triggered) throw new Error('empty scenario');
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => ingestWebhook('pagerduty', signedPagerDutyRequest(triggered.body, triggered.deliveryId), ingestDeps)),
    );
    await bus.drain();
    expect(responses.every((r) => r.status >= 200 && r.status < 300)).toBe(true);
    expect(bus.deadLetters).toEqual([]);
    const items = await table.items();
    expect(items.filter((item) => String(item.pk).startsWith('DELIVERY#'))).toHaveLength(1);
    expect(items.filter((item) => String(item.sk).startsWith('EVENT#'))).toHaveLength(1);
    expect(chat.threads()).toHaveLength(1);
  });

  it('concurrent different events of one incident still make exactly one brief', async () => {
    const { chat, deps, sweepAll } = await setup();
    await Promise.all(lifecycle('QRACE').map((event) => withRetries(() => handleIncidentEvent(event, deps))));
    // Replies recorded while the brief was still being posted wait in the outbox for it.
    await sweepAll();
    expect(chat.threads()).toHaveLength(1);
    expect(chat.threads()[0]?.replies).toHaveLength(6);
  });

  it('spends one Slack post and no update on the first event, and one update per later event (regression: redundant calls)', async () => {
    const calls: string[] = [];
    const counting = (chat: InboxChat): Chat => ({
      post: (message) => (calls.push(message.threadTs ? 'reply' : 'post'), chat.post(message)),
      update: (message) => (calls.push('update'), chat.update(message)),
      postEphemeral: (message) => (calls.push('ephemeral'), chat.postEphemeral(message)),
      openModal: (triggerId, modal) => (calls.push('modal'), chat.openModal(triggerId, modal)),
      findPosted: (query) => (calls.push('find'), chat.findPosted(query)),
      ping: () => chat.ping(),
      describeChannel: (channel) => chat.describeChannel(channel),
    });
    const { deps } = await setup(counting);
    const [triggered, escalated] = lifecycle('QCALLS');
    await handleIncidentEvent(triggered as CanonicalEvent, deps);
    expect(calls).toEqual(['post']);
    await handleIncidentEvent(escalated as CanonicalEvent, deps);
    expect(calls).toEqual(['post', 'reply', 'update']);
  });

  it('a Slack outage does not fail the worker: its documents wait in the outbox and arrive once, in order, after it', async () => {
    let down = true;
    const flaky = (chat: InboxChat): Chat =>
      ({
        ...chat,
        threads: undefined,
        post: (message) => (down ? Promise.reject(new ChatDeliveryError('down', 'not-sent', 'ECONNREFUSED')) : chat.post(message)),
        update: (message) => (down ? Promise.reject(new ChatDeliveryError('down', 'not-sent', 'ECONNREFUSED')) : chat.update(message)),
        findPosted: (query) => chat.findPosted(query),
        postEphemeral: (message) => chat.postEphemeral(message),
        openModal: (triggerId, modal) => chat.openModal(triggerId, modal),
        ping: () => (down ? Promise.reject(new ChatDeliveryError('down', 'not-sent', 'ECONNREFUSED')) : chat.ping()),
        describeChannel: (channel) => chat.describeChannel(channel),
      }) as Chat;
    const { chat, deps, sweepAll } = await setup(flaky);
    for (const event of lifecycle('QOUTAGE')) await handleIncidentEvent(event, deps);
    expect(chat.threads()).toHaveLength(0);
    down = false;
    await sweepAll();
    const [thread] = chat.threads();
    expect(chat.threads()).toHaveLength(1);
    expect(thread?.parent.text).toContain('✅ Resolved');
    expect(thread?.replies).toHaveLength(6);
    expect(JSON.stringify(thread?.replies.at(-1)?.blocks)).toContain('time to resolve 34 min');
  });
});
