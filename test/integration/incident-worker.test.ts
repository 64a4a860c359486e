import { describe, expect, it } from 'vitest';
import { DynamoStore } from '../../functions/adapters/dynamo-store';
import { EnvSecrets } from '../../functions/adapters/env-secrets';
import { InboxChat } from '../../functions/adapters/inbox-chat';
import { LocalBus } from '../../functions/adapters/local-bus';
import type { CanonicalEvent } from '../../functions/core/canonical-event';
import type { Chat } from '../../functions/ports/chat';
import { routes } from '../../functions/core/routing';
import { handleIncidentEvent, type IncidentWorkerDeps } from '../../functions/incidents/incident-worker';
import { ingestWebhook } from '../../functions/ingest/ingest';
import { normalizePagerDutyEvent } from '../../functions/sources/pagerduty/normalize';
import { TemplateWriter } from '../../functions/writer/template-writer';
import { pagerDutyIncidentScenario } from '../../local/scenarios/pagerduty-incident';
import { freshTable } from '../support/dynamo';
import { FAKE_PAGERDUTY_SECRET, signedPagerDutyRequest } from '../support/signed-request';

const start = new Date('2026-11-24T08:00:00.000Z');

function lifecycle(incidentId: string): CanonicalEvent[] {
  return pagerDutyIncidentScenario({ incidentId, start }).flatMap((delivery) => {
    const result = normalizePagerDutyEvent(JSON.parse(delivery.body), delivery.deliveryId);
    return result.ignored ? [] : result.events;
  });
}

async function setup() {
  const table = await freshTable('incidents');
  const store = new DynamoStore(table.db, table.tableName);
  const chat = new InboxChat();
  const deps: IncidentWorkerDeps = { store, chat, writer: new TemplateWriter(), clock: { now: () => new Date() }, channel: '#incidents-exec' };
  return { table, store, chat, deps };
}

/** Runs a handler like the bus does: a PostInProgressError is retried after a short pause. */
async function withRetries(run: () => Promise<void>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= 20 || !(error instanceof Error) || error.name !== 'PostInProgressError') throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

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
    expect(closing).toContain('Thank you Marco Diaz');
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
    const bus = new LocalBus(routes, { incident: (event) => handleIncidentEvent(event, deps), history: async () => {}, approval: async () => {}, escalation: async () => {} }, { retryDelaysMs: [20, 50, 100, 200, 400] });
    const ingestDeps = { store, bus, secrets: new EnvSecrets({ PAGERDUTY_WEBHOOK_SECRET: FAKE_PAGERDUTY_SECRET }), clock: { now: () => new Date() }, maxBodyBytes: 1 << 20 };
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
    const { chat, deps } = await setup();
    await Promise.all(lifecycle('QRACE').map((event) => withRetries(() => handleIncidentEvent(event, deps))));
    expect(chat.threads()).toHaveLength(1);
    expect(chat.threads()[0]?.replies).toHaveLength(6);
  });

  it('spends one Slack post and no update on the first event, and one update per later event (regression: redundant calls)', async () => {
    const { chat, deps } = await setup();
    const calls: string[] = [];
    const counting: Chat = {
      post: (message) => (calls.push(message.threadTs ? 'reply' : 'post'), chat.post(message)),
      update: (message) => (calls.push('update'), chat.update(message)),
      postEphemeral: (message) => (calls.push('ephemeral'), chat.postEphemeral(message)),
      openModal: (triggerId, modal) => (calls.push('modal'), chat.openModal(triggerId, modal)),
      findPosted: (query) => (calls.push('find'), chat.findPosted(query)),
    };
    const [triggered, escalated] = lifecycle('QCALLS');
    await handleIncidentEvent(triggered as CanonicalEvent, { ...deps, chat: counting });
    expect(calls).toEqual(['post']);
    await handleIncidentEvent(escalated as CanonicalEvent, { ...deps, chat: counting });
    expect(calls).toEqual(['post', 'reply', 'update']);
  });

  it('takes over a post whose worker died after claiming it, once the lease lapses', async () => {
    const { store, chat, deps } = await setup();
    const [triggered] = lifecycle('QLEASE');
    if (!triggered) throw new Error('empty');
    await store.appendIncidentEvent(`pagerduty#QLEASE`, triggered);
    expect(await store.claimPost('pagerduty#QLEASE', { kind: 'brief' }, new Date('2026-11-24T08:00:00Z'), 1000)).toBe('claimed');
    await expect(handleIncidentEvent(triggered, { ...deps, clock: { now: () => new Date('2026-11-24T08:00:00.500Z') } })).rejects.toThrow(/Another worker/);
    await handleIncidentEvent(triggered, { ...deps, clock: { now: () => new Date('2026-11-24T08:00:02Z') } });
    expect(chat.threads()).toHaveLength(1);
  });
});
