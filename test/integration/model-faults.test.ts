import { incidentAttentionStores } from '../../functions/adapters/dynamo-attention';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoStore } from '../../functions/adapters/dynamo-store';
import { InboxChat } from '../../functions/adapters/inbox-chat';
import type { CanonicalEvent } from '../../functions/core/canonical-event';
import { handleIncidentEvent } from '../../functions/incidents/incident-worker';
import { normalizePagerDutyEvent } from '../../functions/sources/pagerduty/normalize';
import { ClaudeWriter, createAnthropicClient } from '../../functions/writer/claude-writer';
import { TemplateWriter } from '../../functions/writer/template-writer';
import { errorReply, type FakeAnthropic, type FakeReply, messageReply, startFakeAnthropic, stopFakeAnthropic } from '../../local/fake-anthropic';
import { pagerDutyIncidentScenario } from '../../local/scenarios/pagerduty-incident';
import { freshTable } from '../support/dynamo';
import { testOutbox } from '../support/outbox-harness';
import { outboxRecords } from '../support/outbox-items';

/** Per-document limits as tight as a test allows; production uses the same code with 8 s / 40 s. */
const TIMEOUT_MS = 300;
const DEADLINE_MS = 700;

function lifecycle(incidentId: string): CanonicalEvent[] {
  return pagerDutyIncidentScenario({ incidentId, start: new Date('2026-11-24T08:00:00Z') }).flatMap((delivery) => {
    const result = normalizePagerDutyEvent(JSON.parse(delivery.body), delivery.deliveryId);
    return result.ignored ? [] : result.events;
  });
}

/**
 * The model API failing for a whole incident, seen from the worker: the writer-level tests
 * (claude-writer.test.ts) show one document falling back; these show nothing is lost from a
 * lifecycle and every document is written by the template within its bounded time.
 */
describe('incident lifecycle while the Messages API fails', () => {
  let fake: FakeAnthropic;
  beforeAll(async () => {
    fake = await startFakeAnthropic();
  });
  afterAll(async () => {
    await stopFakeAnthropic(fake);
  });
  beforeEach(() => fake.reset());

  it.each<[string, FakeReply, RegExp]>([
    ['529 overloaded', errorReply(529), /^api_error_529/],
    ['500', errorReply(500), /^api_error_500/],
    ['hanging (no answer)', messageReply({ headline: 'never sent', sections: [] }, { delayMs: 60_000 }), /^(timeout|deadline_exceeded)$/],
    ['hanging after the headers', { type: 'stall_body' }, /^deadline_exceeded$/],
  ])('API answering %s: the brief and all six replies are posted, from the template, each within its deadline', async (_, reply, reason) => {
    fake.otherwise(reply);
    const table = await freshTable('model-faults');
    const store = new DynamoStore(table.db, table.tableName);
    const chat = new InboxChat();
    const client = createAnthropicClient({ apiKey: 'fake-anthropic-key-for-tests', baseURL: fake.baseURL, timeoutMs: TIMEOUT_MS, maxRetries: 2 });
    const writer = new ClaudeWriter({ client, model: 'claude-sonnet-5-5', fallback: new TemplateWriter(), deadlineMs: DEADLINE_MS });
    const deps = {
      store,
      outbox: testOutbox(table, chat).outbox,
      writer,
      clock: { now: () => new Date() },
      channel: '#incidents-exec',
      ...incidentAttentionStores(table.db, table.tableName),
    };

    const slowest: number[] = [];
    for (const event of lifecycle('QMODELFAULT')) {
      const started = performance.now();
      await handleIncidentEvent(event, deps);
      slowest.push(performance.now() - started);
    }

    const threads = chat.threads();
    expect(threads).toHaveLength(1);
    expect(threads[0]?.replies).toHaveLength(6);
    expect(threads[0]?.parent.text).toContain('✅ Resolved');
    const items = await table.items();
    const documents = outboxRecords(items).map((item) => (item as { document: { writer: string; fallbackReason?: string } }).document);
    expect(documents).toHaveLength(7);
    for (const document of documents) expect(document.writer).toBe('template');
    // The brief, the note, the status update and the closing went to the model and fell back; the escalation, the
    // acknowledgement and the priority change are the template's by design (no model call, no fallback reason).
    const fellBack = documents.filter((document) => document.fallbackReason !== undefined);
    expect(fellBack).toHaveLength(4);
    for (const document of fellBack) expect(document.fallbackReason).toMatch(reason);
    expect(fake.requests.length).toBeGreaterThanOrEqual(4);
    // Bounded: the writer's deadline plus the worker's own DynamoDB and outbox work. Generous, as a
    // busy CI machine stretched it past 5 s once; what it rules out is waiting on the model: the
    // hanging fake answers after 60 s, and the SDK's default is 10 minutes an attempt.
    expect(Math.max(...slowest)).toBeLessThan(15_000);
  });
});
