import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { incidentBriefId } from '../../functions/incidents/document-ids';
import { handleIncidentEvent } from '../../functions/incidents/incident-worker';
import { DEFAULT_WRITE_LEASE_MS, DocumentBeingWrittenError, writeOnce } from '../../functions/outbox/write-once';
import { ClaudeWriter, createAnthropicClient } from '../../functions/writer/claude-writer';
import { TemplateWriter } from '../../functions/writer/template-writer';
import { type FakeAnthropic, startFakeAnthropic } from '../../local/fake-anthropic';
import { TemplateModelWriter } from '../../local/template-model';
import { incidentWorld } from '../support/incident-world';
import { incidentEventAt, PAGERDUTY_BURST } from '../support/incident-events';
import { withRetries } from '../support/with-retries';
import { outboxRecords } from '../support/outbox-items';

const start = new Date('2026-11-24T08:00:00.000Z');

let fake: FakeAnthropic;
beforeAll(async () => {
  fake = await startFakeAnthropic();
});
afterAll(async () => {
  await fake.stop();
});

async function setup() {
  fake.reset();
  const client = createAnthropicClient({ apiKey: 'fake-anthropic-key-for-tests', baseURL: fake.baseURL, maxRetries: 0, timeoutMs: 20_000 });
  // Each answer takes 150 ms, as a model's would: long enough for every race to happen.
  const writer = new TemplateModelWriter(fake, new ClaudeWriter({ client, model: 'claude-sonnet-5-5', fallback: new TemplateWriter() }), { delayMs: 150 });
  return incidentWorld('write-once', { start, writer });
}

describe('one model call per document (write-once claims)', () => {
  it('eight events of one incident within a second, each delivered ten times at once: one Messages API call per document posted', async () => {
    const { chat, deps, sweepAll, table } = await setup();
    const events = PAGERDUTY_BURST.map((type, index) => incidentEventAt(start, type, index / 600, { incidentId: 'QBURST', priority: 'P1' }));
    await Promise.all(events.flatMap((event) => Array.from({ length: 10 }, () => withRetries(() => handleIncidentEvent(event, deps)))));
    await sweepAll();

    const [thread, ...others] = chat.threads();
    expect(others).toHaveLength(0);
    // The brief, and one reply for each of the seven later events.
    const posted = 1 + (thread?.replies.length ?? 0);
    expect(thread?.replies).toHaveLength(7);
    // None fell back: each was written by the model or, for a structural change (acknowledged, escalated), exactly by the
    // template with no call; so the calls and the model's documents compare.
    const documents = outboxRecords(await table.items()).filter((item) => item.document);
    expect(documents).toHaveLength(posted);
    const written = documents.map((item) => item.document as { writer: string; fallbackReason?: string });
    expect(written.filter((document) => document.fallbackReason !== undefined)).toEqual([]);
    const byModel = written.filter((document) => document.writer.startsWith('claude:'));
    expect(byModel.length).toBeGreaterThan(0);
    expect(fake.requests).toHaveLength(byModel.length);
  }, 180_000);

  it('a worker that loses the claim never calls the writer; it waits for the holder and is retried if the holder takes too long', async () => {
    const { deps, stores, timing } = await setup();
    const id = incidentBriefId('pagerduty#QHELD');
    expect(await stores.claims.claim(id, timing.now(), 60_000)).toBe('claimed');
    const write = vi.fn(async () => ({ kind: 'incident.brief' as const, headline: 'never written', sections: [], links: [], writer: 'template' }));
    const send = vi.fn();
    const waited: number[] = [];
    const attempt = writeOnce({ ...stores, outbox: deps.outbox, clock: timing, waitMs: 5_000, sleep: async (ms) => void waited.push(ms) }, { id, write, send });
    await expect(attempt).rejects.toThrow(DocumentBeingWrittenError);
    expect(write).not.toHaveBeenCalled();
    expect(send).not.toHaveBeenCalled();
    expect(waited.reduce((sum, ms) => sum + ms, 0)).toBeGreaterThanOrEqual(5_000);
  });

  it('a claim whose holder died is taken over once its lease lapses, and the document is written once', async () => {
    const { chat, deps, stores, timing, sweepAll } = await setup();
    const triggered = incidentEventAt(start, 'incident.triggered', 0, { incidentId: 'QDIED', priority: 'P1' });
    // A worker claimed the brief and died before writing it.
    expect(await stores.claims.claim(incidentBriefId('pagerduty#QDIED'), timing.now(), DEFAULT_WRITE_LEASE_MS)).toBe('claimed');
    // The retry of its event waits (in virtual time) for the lease to lapse, then writes the brief itself.
    await handleIncidentEvent(triggered, { ...deps, sleep: async (ms) => timing.advance(ms) });
    await sweepAll();
    expect(chat.threads()).toHaveLength(1);
    expect(fake.requests).toHaveLength(1);
  });
});
