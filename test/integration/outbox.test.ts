import { afterEach, describe, expect, it } from 'vitest';
import { DOCUMENT_EVENT_TYPE } from '../../functions/outbox/metadata';
import { outboxBacklog, sweepOutbox } from '../../functions/outbox/sweeper';
import type { OutgoingDocument } from '../../functions/ports/outbox';
import { outboxHarness } from '../support/outbox-harness';

type Harness = Awaited<ReturnType<typeof outboxHarness>>;

const blocks = (text: string) => [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text, verbatim: true } }];
const doc = (id: string, text: string, extra: Partial<OutgoingDocument> = {}): OutgoingDocument => ({
  id,
  kind: 'incident.brief',
  channel: 'C0INC',
  text,
  blocks: blocks(text),
  ...extra,
});

describe('outbox (DynamoDB Local, real @slack/web-api, fake Slack)', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('records the document, posts it with metadata and keeps the Slack ts', async () => {
    h = await outboxHarness();
    const record = await h.outbox.send(doc('incident#pd#Q1#brief', 'Brief'));
    expect(record).toMatchObject({ state: 'delivered', attempts: 1, message: { channel: 'C0INC' } });
    expect(h.slack.messages).toHaveLength(1);
    expect(h.slack.messages[0]).toMatchObject({
      ts: record.message?.ts,
      metadata: { event_type: DOCUMENT_EVENT_TYPE, event_payload: { document_id: 'incident#pd#Q1#brief' } },
    });
    expect(await h.outbox.get('incident#pd#Q1#brief')).toMatchObject({ state: 'delivered', message: record.message });
  });

  it('keeps the first record for a repeated id and posts once', async () => {
    h = await outboxHarness();
    await h.outbox.send(doc('d#1', 'First'));
    const again = await h.outbox.send(doc('d#1', 'Second'));
    expect(again.text).toBe('First');
    expect(h.posts()).toHaveLength(1);
  });

  it('leaves a document pending while Slack is down, without throwing, and the sweeper delivers it', async () => {
    h = await outboxHarness();
    h.slack.down(503);
    const record = await h.outbox.send(doc('d#down', 'Brief'));
    expect(record).toMatchObject({ state: 'pending', attempts: 1, lastError: 'unknown: http_503' });
    expect(Date.parse(record.nextAttemptAt ?? '')).toBeGreaterThan(h.timing.nowMs());
    expect(await outboxBacklog(h.store, h.timing.now())).toEqual({ pending: 1, oldestPendingAgeSeconds: 0 });
    h.slack.up();
    h.timing.advance(31_000);
    const result = await sweepOutbox(h);
    expect(result).toMatchObject({ due: 1, delivered: 1, pending: 0 });
    expect(h.slack.messages).toHaveLength(1);
    // The 503 left the outcome unknown, so the sweeper looked before posting (after its probe found Slack back).
    expect(h.slack.calls.map((c) => c.method)).toEqual(['auth.test', 'conversations.history', 'chat.postMessage']);
  });

  it('folds a revision of an undelivered document into its first post, and updates a delivered one in place', async () => {
    h = await outboxHarness();
    h.slack.down(503);
    await h.outbox.send(doc('d#rev', 'Brief — triggered'));
    await h.outbox.revise('d#rev', { text: 'Brief — acknowledged', blocks: blocks('acknowledged') });
    h.slack.up();
    h.timing.advance(60_000);
    await sweepOutbox(h);
    expect(h.slack.messages).toEqual([expect.objectContaining({ text: 'Brief — acknowledged' })]);
    expect(h.slack.calls.filter((c) => c.method === 'chat.update')).toHaveLength(0);

    await h.outbox.revise('d#rev', { text: 'Brief — resolved', blocks: blocks('resolved') });
    expect(h.slack.calls.filter((c) => c.method === 'chat.update')).toHaveLength(1);
    expect(h.slack.messages).toEqual([expect.objectContaining({ text: 'Brief — resolved' })]);
    expect(await outboxBacklog(h.store, h.timing.now())).toMatchObject({ pending: 0 });
  });

  it('never posts a reply before its parent, and threads it under the parent once delivered', async () => {
    h = await outboxHarness();
    h.slack.down(503);
    await h.outbox.send(doc('t#brief', 'Brief'));
    h.slack.up();
    // Slack is back, but the brief is still waiting for its retry: the reply must wait too.
    const reply = await h.outbox.send(doc('t#reply1', 'Reply', { parentId: 't#brief', kind: 'incident.update' }));
    expect(reply.state).toBe('pending');
    expect(h.posts()).toHaveLength(0);
    h.timing.advance(60_000);
    await sweepOutbox(h);
    const [brief, threaded] = h.slack.messages;
    expect(brief).toMatchObject({ text: 'Brief' });
    expect(threaded).toMatchObject({ text: 'Reply', thread_ts: brief?.ts });
  });

  it('honours a 429 Retry-After for that channel only, then delivers', async () => {
    h = await outboxHarness();
    h.slack.rateLimitNext('chat.postMessage', 1, 7);
    const limited = await h.outbox.send(doc('r#1', 'To a busy channel'));
    expect(limited).toMatchObject({ state: 'pending', lastError: 'not-sent: ratelimited' });
    expect(Date.parse(limited.nextAttemptAt ?? '') - h.timing.nowMs()).toBe(7_000);
    // Another channel is not held up.
    expect(await h.outbox.send(doc('r#2', 'Elsewhere', { channel: 'C0OTHER' }))).toMatchObject({ state: 'delivered' });
    h.timing.advance(5_000);
    expect(await sweepOutbox(h)).toMatchObject({ due: 0 });
    h.timing.advance(2_000);
    expect(await sweepOutbox(h)).toMatchObject({ due: 1, delivered: 1 });
    expect(h.slack.messages.map((m) => m.text)).toEqual(['Elsewhere', 'To a busy channel']);
    // 429 means not posted: no history search was needed.
    expect(h.slack.calls.filter((c) => c.method.startsWith('conversations.'))).toHaveLength(0);
  });

  it('paces a burst to one channel at about one a second instead of dropping any', async () => {
    h = await outboxHarness();
    h.slack.down(503);
    for (let i = 0; i < 10; i++) await h.outbox.send(doc(`b#${i}`, `Message ${i}`));
    h.slack.up();
    h.timing.advance(60_000);
    const before = h.timing.nowMs();
    const result = await sweepOutbox(h);
    expect(result).toMatchObject({ due: 10, delivered: 10, pending: 0 });
    expect(h.slack.messages.map((m) => m.text)).toEqual(Array.from({ length: 10 }, (_, i) => `Message ${i}`));
    // Three back to back, then one a second.
    expect(h.timing.nowMs() - before).toBeGreaterThanOrEqual(7_000);
  });

  it('finds a post Slack accepted but answered after the client timeout, and threads later replies under it', async () => {
    h = await outboxHarness({ timeoutMs: 300 });
    h.slack.answerLateNext('chat.postMessage', 1, 12_000);
    const first = await h.outbox.send(doc('late#brief', 'Brief'));
    expect(first).toMatchObject({ state: 'pending', lastError: expect.stringMatching(/^unknown: /) });
    expect(h.slack.messages).toHaveLength(1);
    const reply = await h.outbox.send(doc('late#reply', 'Reply', { parentId: 'late#brief' }));
    expect(reply.state).toBe('pending');
    h.timing.advance(31_000);
    await sweepOutbox(h);
    const brief = await h.outbox.get('late#brief');
    expect(brief).toMatchObject({ state: 'delivered', message: { ts: h.slack.messages[0]?.ts } });
    expect(h.slack.messages).toHaveLength(2);
    expect(h.slack.messages[1]).toMatchObject({ text: 'Reply', thread_ts: h.slack.messages[0]?.ts });
    expect(h.posts()).toHaveLength(2);
  });

  it('marks a document failed after 24 hours of retries and says so in the log', async () => {
    h = await outboxHarness();
    h.slack.down(503);
    await h.outbox.send(doc('f#1', 'Never delivered'));
    for (let hour = 0; hour < 25; hour++) {
      h.timing.advance(3_600_000);
      await sweepOutbox(h);
    }
    expect(await h.outbox.get('f#1')).toMatchObject({ state: 'failed' });
    expect(h.logs.some((l) => l.message.startsWith('outbox document failed') && l.detail.id === 'f#1')).toBe(true);
    expect(await outboxBacklog(h.store, h.timing.now())).toEqual({ pending: 0, oldestPendingAgeSeconds: 0 });
    expect(h.slack.messages).toHaveLength(0);
  }, 60_000);
});
