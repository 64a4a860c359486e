import { afterEach, describe, expect, it } from 'vitest';
import { sweepOutbox } from '../../functions/outbox/sweeper';
import { urgencyOf } from '../../functions/outbox/urgency';
import type { OutgoingDocument } from '../../functions/ports/outbox';
import { outboxHarness } from '../support/outbox-harness';

type Harness = Awaited<ReturnType<typeof outboxHarness>>;
const CHANNEL = 'C0URGENT';

const blocks = (text: string) => [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text, verbatim: true } }];
const doc = (id: string, kind: string, extra: Partial<OutgoingDocument> = {}): OutgoingDocument => ({
  id,
  kind,
  channel: CHANNEL,
  text: id,
  blocks: blocks(id),
  ...extra,
});

/** The document ids Slack received, in posting order. */
const posted = (h: Harness) => h.posts().map((call) => String((call.args.metadata as { event_payload: { document_id: string } }).event_payload.document_id));

/**
 * A backlog of `lows` routine documents, then a P2 brief with `replies` replies, written while
 * the channel is held (as after a 429), so every one of them waits for the sweeper.
 */
async function backlog(h: Harness, lows: number, replies: number): Promise<void> {
  h.delivery.pacer.block(CHANNEL, h.timing.nowMs() + 60_000);
  const documents = [
    ...Array.from({ length: lows }, (_, i) => doc(`low#${String(i).padStart(3, '0')}`, 'weekly.update')),
    doc('p2#brief', 'incident.brief'),
    ...Array.from({ length: replies }, (_, i) => doc(`p2#reply#${String(i).padStart(3, '0')}`, 'incident.update', { parentId: 'p2#brief' })),
  ];
  for (let i = 0; i < documents.length; i += 10) await Promise.all(documents.slice(i, i + 10).map((d) => h.outbox.send(d)));
  h.timing.advance(60_000);
}

describe('delivery order by urgency (DynamoDB Local, real @slack/web-api, fake Slack, virtual time)', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('defaults urgency by kind: escalations first, briefs next, replies, then the rest; a producer may say otherwise', () => {
    expect(urgencyOf({ kind: 'escalation' })).toBe('immediate');
    expect(urgencyOf({ kind: 'incident.brief' })).toBe('high');
    expect(urgencyOf({ kind: 'incident.brief', urgency: 'immediate' })).toBe('immediate');
    expect(urgencyOf({ kind: 'incident.update', parentId: 'x' })).toBe('reply');
    expect(urgencyOf({ kind: 'digest' })).toBe('routine');
    expect(urgencyOf({ kind: 'not.registered', parentId: 'x' })).toBe('reply');
    expect(urgencyOf({ kind: 'not.registered' })).toBe('routine');
  });

  it('with 230 documents waiting for a paced channel, works most urgent first, keeps thread order, and posts a new P1 brief within 5 s', async () => {
    h = await outboxHarness();
    await backlog(h, 200, 29);
    expect(posted(h)).toEqual([]);

    await sweepOutbox(h, { budgetMs: 8_000 });
    const afterFirstSweep = posted(h);
    expect(afterFirstSweep.length).toBeGreaterThan(3);
    // The P2 brief, then its replies in thread order, ahead of the routine documents written before them.
    expect(afterFirstSweep[0]).toBe('p2#brief');
    expect(afterFirstSweep.slice(1)).toEqual(afterFirstSweep.slice(1).map((_, i) => `p2#reply#${String(i).padStart(3, '0')}`));

    // A P1 brief while the channel is still busy (and rate limited for 3 s, so its own worker cannot post it).
    h.delivery.pacer.block(CHANNEL, h.timing.nowMs() + 3_000);
    const sentAt = h.timing.nowMs();
    const p1 = await h.outbox.send(doc('p1#brief', 'incident.brief', { urgency: 'immediate' }));
    expect(p1.state).toBe('pending');
    const before = posted(h).length;
    await sweepOutbox(h, { budgetMs: 10_000 });
    expect(posted(h)[before]).toBe('p1#brief');
    const delivered = await h.outbox.get('p1#brief');
    expect(delivered?.state).toBe('delivered');
    expect(Date.parse(delivered?.deliveredAt ?? '') - sentAt).toBeLessThanOrEqual(5_000);
  }, 180_000);

  it('a worker posts its urgent document itself, ahead of the waiting backlog, but leaves a routine one to wait its turn', async () => {
    h = await outboxHarness();
    await backlog(h, 30, 0);
    await sweepOutbox(h, { budgetMs: 3_000 });
    const routine = await h.outbox.send(doc('late#low', 'digest'));
    expect(routine.state).toBe('pending');
    const urgent = await h.outbox.send(doc('now#escalation', 'escalation'));
    expect(urgent.state).toBe('delivered');
    // The routine one goes after the backlog written before it.
    await sweepOutbox(h, { budgetMs: 60_000 });
    expect(posted(h).at(-1)).toBe('late#low');
  }, 120_000);
});
