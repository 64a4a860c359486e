import { incidentAttentionStores } from '../../functions/adapters/dynamo-attention';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoStore } from '../../functions/adapters/dynamo-store';
import type { CanonicalEvent } from '../../functions/core/canonical-event';
import { handleIncidentEvent, type IncidentWorkerDeps } from '../../functions/incidents/incident-worker';
import { outboxBacklog, sweepOutbox } from '../../functions/outbox/sweeper';
import { normalizePagerDutyEvent } from '../../functions/sources/pagerduty/normalize';
import { TemplateWriter } from '../../functions/writer/template-writer';
import { pagerDutyIncidentScenario } from '../../local/scenarios/pagerduty-incident';
import { outboxHarness } from '../support/outbox-harness';

type Harness = Awaited<ReturnType<typeof outboxHarness>>;
const CHANNEL = 'C0INCFAULT';

function lifecycle(incidentId: string, start: Date): CanonicalEvent[] {
  return pagerDutyIncidentScenario({ incidentId, start }).flatMap((delivery) => {
    const result = normalizePagerDutyEvent(JSON.parse(delivery.body), delivery.deliveryId);
    return result.ignored ? [] : result.events;
  });
}

/** The real incident worker delivering through the outbox to the fake Slack, on virtual time. */
function incidentDeps(h: Harness): IncidentWorkerDeps {
  return {
    store: new DynamoStore(h.table.db, h.table.tableName),
    outbox: h.outbox,
    writer: new TemplateWriter(),
    clock: h.timing,
    channel: CHANNEL,
    ...incidentAttentionStores(h.table.db, h.table.tableName),
  };
}

/** What the channel shows: top-level messages and, per message, its thread, oldest first. */
function channelView(h: Harness) {
  const inChannel = h.slack.messages.filter((m) => m.channel === CHANNEL);
  const top = inChannel.filter((m) => !m.thread_ts);
  return { top, replies: (ts: string | undefined) => inChannel.filter((m) => m.thread_ts === ts) };
}

/** Runs the sweeper every `stepMs` of virtual time for `forMs`, as the every-minute schedule would. */
async function sweepFor(h: Harness, forMs: number, stepMs: number): Promise<void> {
  for (let waited = 0; waited < forMs; waited += stepMs) {
    h.timing.advance(stepMs);
    await sweepOutbox(h);
  }
}

describe('Slack faults in the middle of an incident (DynamoDB Local, real @slack/web-api, fake Slack, virtual time)', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  /** Brief, six replies (the last the closing brief), each exactly once, in event order, the brief showing the outcome. */
  function expectWholeIncidentOnce(incidentId: string) {
    const { top, replies } = channelView(h);
    expect(top).toHaveLength(1);
    const [brief] = top;
    expect(brief?.metadata).toEqual({ event_type: 'exec_eng_lead_document', event_payload: { document_id: `incident:pagerduty#${incidentId}:brief` } });
    expect(brief?.text).toContain('✅ Resolved');
    const thread = replies(brief?.ts);
    expect(thread).toHaveLength(6);
    const ids = thread.map((m) => String(m.metadata?.event_payload.document_id));
    expect(new Set(ids).size).toBe(6);
    // In the order the events happened: the closing brief (resolved) last.
    expect(JSON.stringify(thread.at(-1)?.blocks)).toContain('time to resolve 34 min');
    expect(thread.map((m) => m.ts)).toEqual([...thread.map((m) => m.ts)].sort());
    // Every post the fake accepted is one of these seven.
    expect(h.posts()).toHaveLength(7);
  }

  it('Slack down (503) for 40 s from the first event: nothing fails, and after it the brief, every reply and the closing brief arrive once, in order', async () => {
    h = await outboxHarness();
    const deps = incidentDeps(h);
    h.slack.down(503);
    const events = lifecycle('QDOWN40', h.timing.now());
    // The lifecycle arrives during the outage, 5 s apart; the worker never throws.
    for (const event of events) {
      await handleIncidentEvent(event, deps);
      h.timing.advance(5_000);
    }
    expect(h.slack.messages).toHaveLength(0);
    expect((await outboxBacklog(h.store, h.timing.now())).pending).toBe(7);
    await sweepFor(h, 40_000 - 35_000, 5_000);
    h.slack.up();
    await sweepFor(h, 10 * 60_000, 60_000);
    expectWholeIncidentOnce('QDOWN40');
    // The status line changes made during the outage were folded into the brief's first post.
    expect(h.slack.calls.filter((c) => c.method === 'chat.update')).toHaveLength(0);
    expect(await outboxBacklog(h.store, h.timing.now())).toEqual({ pending: 0, oldestPendingAgeSeconds: 0 });
  }, 60_000);

  it('Slack down (503) for 2 hours after the brief: replies and status updates wait, then arrive once, in order, within minutes of its return', async () => {
    h = await outboxHarness();
    const deps = incidentDeps(h);
    const [triggered, ...rest] = lifecycle('QDOWN2H', h.timing.now());
    await handleIncidentEvent(triggered as CanonicalEvent, deps);
    expect(channelView(h).top).toHaveLength(1);
    h.slack.down(503);
    for (const event of rest) {
      await handleIncidentEvent(event, deps);
      h.timing.advance(5 * 60_000);
    }
    await sweepFor(h, 2 * 3_600_000 - 30 * 60_000, 2 * 60_000);
    const backlog = await outboxBacklog(h.store, h.timing.now());
    expect(backlog.pending).toBe(6);
    expect(backlog.oldestPendingAgeSeconds).toBeGreaterThanOrEqual(7_200 - 5);
    h.slack.up();
    const back = h.timing.nowMs();
    for (let step = 0; step < 15 && (await outboxBacklog(h.store, h.timing.now())).pending > 0; step++) await sweepFor(h, 60_000, 60_000);
    // The backoff tops out at 5 minutes, so everything is in within a few sweeps of Slack's return.
    expect(h.timing.nowMs() - back).toBeLessThanOrEqual(6 * 60_000);
    await sweepFor(h, 10 * 60_000, 60_000);
    expectWholeIncidentOnce('QDOWN2H');
    // The brief's status line was edited in place once Slack was back.
    expect(h.slack.calls.filter((c) => c.method === 'chat.update').length).toBeGreaterThan(0);
  }, 120_000);
});
