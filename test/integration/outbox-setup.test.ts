import { afterEach, describe, expect, it } from 'vitest';
import { MetricNames } from '../../functions/core/metric-names';
import { useMetrics } from '../../functions/core/metrics';
import { sweepOutbox } from '../../functions/outbox/sweeper';
import { MemoryMetrics } from '../../functions/ports/metrics';
import type { OutgoingDocument } from '../../functions/ports/outbox';
import { renderInboxPage } from '../../local/inbox-page';
import { outboxHarness } from '../support/outbox-harness';

type Harness = Awaited<ReturnType<typeof outboxHarness>>;

const blocks = (text: string) => [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text, verbatim: true } }];
const doc = (id: string, channel: string): OutgoingDocument => ({ id, kind: 'incident.brief', channel, text: id, blocks: blocks(id) });

/** Sweeps every 10 s of virtual time for `forMs`. */
async function sweepFor(h: Harness, forMs: number): Promise<void> {
  for (let waited = 0; waited < forMs; waited += 10_000) {
    h.timing.advance(10_000);
    await sweepOutbox(h, { budgetMs: 5_000 });
  }
}

describe('Slack setup mistakes (DynamoDB Local, real @slack/web-api, fake Slack, virtual time)', () => {
  let h: Harness;
  let restoreMetrics: (() => void) | undefined;
  afterEach(async () => {
    restoreMetrics?.();
    await h?.close();
  });

  it('an app not in the channel: documents wait, one error names the fix, a metric counts it, the inbox shows it, and delivery resumes once invited', async () => {
    h = await outboxHarness();
    const memory = new MemoryMetrics();
    restoreMetrics = useMetrics(memory);
    h.slack.channel('C0123', { name: 'incidents-exec', isMember: false });
    for (let i = 0; i < 5; i++) await h.outbox.send(doc(`brief#${i}`, 'C0123'));
    // Another channel is not held up.
    expect(await h.outbox.send(doc('elsewhere', 'C0FINE'))).toMatchObject({ state: 'delivered' });
    await sweepFor(h, 3 * 60_000);

    const waiting = await Promise.all([0, 1, 2, 3, 4].map((i) => h.outbox.get(`brief#${i}`)));
    expect(waiting.map((r) => r?.state)).toEqual(['pending', 'pending', 'pending', 'pending', 'pending']);
    expect(waiting[0]?.lastError).toBe('rejected: not_in_channel');
    const errors = h.logs.filter((l) => l.message.startsWith('Slack setup problem'));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toContain('invite the app to C0123 (#incidents-exec)');
    expect(memory.total(MetricNames.slackSetupErrors, { code: 'not_in_channel' })).toBeGreaterThanOrEqual(2);
    // The channel is held while it is refused: a few attempts, not one per document per sweep.
    expect(h.slack.attempts.filter((c) => c.method === 'chat.postMessage' && c.args.channel === 'C0123').length).toBeLessThan(15);
    expect(h.delivery.setup.list()).toEqual([expect.objectContaining({ channel: 'C0123', code: 'not_in_channel' })]);
    const page = renderInboxPage([], 'Posting to Slack', { actingAs: '', users: [], notices: [], modals: [], setupProblems: h.delivery.setup.list() });
    expect(page).toContain('invite the app to C0123 (#incidents-exec)');

    h.slack.channel('C0123', { name: 'incidents-exec', isMember: true });
    await sweepFor(h, 6 * 60_000);
    for (let i = 0; i < 5; i++) expect(await h.outbox.get(`brief#${i}`)).toMatchObject({ state: 'delivered' });
    expect(h.delivery.setup.list()).toEqual([]);
    expect(h.slack.messages.filter((m) => m.channel === 'C0123').map((m) => m.text)).toEqual(['brief#0', 'brief#1', 'brief#2', 'brief#3', 'brief#4']);
  }, 180_000);

  it('a revoked token: one error for the token, whatever the channel, and nothing is lost', async () => {
    h = await outboxHarness();
    h.slack.refuseAll('token_revoked');
    await h.outbox.send(doc('a', 'C0AAA'));
    await h.outbox.send(doc('b', 'C0BBB'));
    await sweepFor(h, 60_000);
    const errors = h.logs.filter((l) => l.message.startsWith('Slack setup problem'));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/revoked.*reinstall the app/);
    expect(h.delivery.setup.list()).toEqual([expect.objectContaining({ channel: '*', code: 'token_revoked' })]);
    h.slack.refuseAll(undefined);
    await sweepFor(h, 6 * 60_000);
    expect(await h.outbox.get('a')).toMatchObject({ state: 'delivered' });
    expect(await h.outbox.get('b')).toMatchObject({ state: 'delivered' });
    expect(h.delivery.setup.list()).toEqual([]);
  }, 120_000);
});
