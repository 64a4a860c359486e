import { afterEach, describe, expect, it } from 'vitest';
import { outboxBacklog, sweepOutbox } from '../../functions/outbox/sweeper';
import type { OutgoingDocument } from '../../functions/ports/outbox';
import { outboxHarness } from '../support/outbox-harness';

type Harness = Awaited<ReturnType<typeof outboxHarness>>;

const blocks = (text: string) => [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text, verbatim: true } }];
const doc = (id: string, channel: string, extra: Partial<OutgoingDocument> = {}): OutgoingDocument => ({
  id,
  kind: 'incident.brief',
  channel,
  text: id,
  blocks: blocks(id),
  ...extra,
});

/** Runs the sweeper every second of virtual time (as the local runtime does) until nothing is pending, or `maxMs`. */
async function sweepUntilEmpty(h: Harness, maxMs: number): Promise<void> {
  const until = h.timing.nowMs() + maxMs;
  while (h.timing.nowMs() < until && (await outboxBacklog(h.store, h.timing.now())).pending > 0) {
    h.timing.advance(1_000);
    await sweepOutbox(h, { budgetMs: 5_000 });
  }
}

describe('back at once when Slack is back (DynamoDB Local, real @slack/web-api, fake Slack, virtual time)', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it("after a 40 s outage the backlog starts moving within 5 s of Slack's return, paced, each document once and in thread order", async () => {
    h = await outboxHarness();
    h.slack.down(503);
    // Documents written through the outage, one a second, while the sweeper keeps trying.
    const written: string[] = [];
    for (let i = 0; i < 40; i++) {
      const id = i % 4 === 0 ? `brief#${i}` : `brief#${i - (i % 4)}#reply#${i}`;
      const parentId = i % 4 === 0 ? undefined : `brief#${i - (i % 4)}`;
      await h.outbox.send(doc(id, i % 8 < 4 ? 'C0RECOVER' : 'C0OTHER', { ...(parentId ? { parentId, kind: 'incident.update' } : {}) }));
      written.push(id);
      h.timing.advance(1_000);
      if (i % 5 === 4) await sweepOutbox(h, { budgetMs: 5_000 });
    }
    expect(h.posts()).toHaveLength(0);
    // Most of them are backing off well past the next few seconds.
    const waiting = await Promise.all(written.map((id) => h.outbox.get(id)));
    expect(waiting.filter((r) => Date.parse(r?.nextAttemptAt ?? '') - h.timing.nowMs() > 10_000).length).toBeGreaterThanOrEqual(20);

    h.slack.up();
    const back = h.timing.nowMs();
    await sweepUntilEmpty(h, 5 * 60_000);

    const delivered = await Promise.all(written.map((id) => h.outbox.get(id)));
    const times = delivered.map((r) => Date.parse(r?.deliveredAt ?? '')).sort((a, b) => a - b);
    expect(delivered.every((r) => r?.state === 'delivered')).toBe(true);
    expect((times[0] ?? Infinity) - back).toBeLessThanOrEqual(5_000);
    // Then at the channel's pace, never waiting for a backoff clock: 20 documents a channel, three back to back, then one a second.
    for (const channel of ['C0RECOVER', 'C0OTHER']) {
      const inChannel = delivered
        .filter((r) => r?.channel === channel)
        .map((r) => Date.parse(r?.deliveredAt ?? ''))
        .sort((a, b) => a - b);
      expect((inChannel[0] ?? Infinity) - back).toBeLessThanOrEqual(5_000);
      expect(Math.max(...inChannel.slice(1).map((t, i) => t - (inChannel[i] ?? t)))).toBeLessThanOrEqual(2_500);
      expect((inChannel.at(-1) ?? 0) - (inChannel[0] ?? 0)).toBeGreaterThanOrEqual(16_000);
    }
    // Each once: the 503s left their outcome unknown, so each was looked for before it was posted.
    expect(h.posts()).toHaveLength(40);
    expect(h.slack.calls.filter((c) => c.method === 'conversations.history').length).toBeGreaterThan(0);
    for (const brief of written.filter((id) => !id.includes('reply'))) {
      const parent = h.slack.messages.find((m) => m.text === brief);
      const replies = h.slack.messages.filter((m) => m.thread_ts === parent?.ts).map((m) => m.text);
      expect(replies).toEqual(written.filter((id) => id.startsWith(`${brief}#reply`)));
    }
    expect(h.logs.some((l) => l.message.startsWith('Slack answers again'))).toBe(true);
  }, 240_000);

  it('does not wake documents while Slack is still down, and probes it no more than every 2 s', async () => {
    h = await outboxHarness();
    h.slack.down(503);
    await h.outbox.send(doc('still#down', 'C0DOWN'));
    for (let i = 0; i < 10; i++) {
      h.timing.advance(1_000);
      await sweepOutbox(h, { budgetMs: 1_000 });
    }
    const probes = h.slack.attempts.filter((c) => c.method === 'auth.test').length;
    expect(probes).toBeGreaterThanOrEqual(3);
    expect(probes).toBeLessThanOrEqual(6);
    expect(await h.outbox.get('still#down')).toMatchObject({ state: 'pending' });
    expect(h.logs.some((l) => l.message.startsWith('Slack answers again'))).toBe(false);
  }, 60_000);
});
