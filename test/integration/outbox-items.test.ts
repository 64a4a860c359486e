import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoErasure } from '../../functions/adapters/dynamo-erasure';
import { sweepOutbox } from '../../functions/outbox/sweeper';
import type { OutgoingDocument } from '../../functions/ports/outbox';
import { outboxHarness } from '../support/outbox-harness';

type Harness = Awaited<ReturnType<typeof outboxHarness>>;

/** A document of about 3 KB, as a brief with its blocks is. */
const longDoc = (id: string, text: string, extra: Partial<OutgoingDocument> = {}): OutgoingDocument => ({
  id,
  kind: 'incident.brief',
  channel: 'C0INC',
  text,
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `${text} ${'what broke, the impact, who owns it. '.repeat(40)}`, verbatim: true } }],
  ...extra,
});

const bytes = (item: Record<string, unknown> | undefined) => Buffer.byteLength(JSON.stringify(item ?? {}));

describe('outbox items: the state apart from the content (issue 21)', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  const item = async (id: string, sk: 'DOC' | 'CONTENT') =>
    (await h.table.db.send(new GetCommand({ TableName: h.table.tableName, Key: { pk: `OUTBOX#${id}`, sk }, ConsistentRead: true }))).Item;

  it('keeps the state item under 1 KB, so a claim or a delivery writes one unit, whatever the document weighs', async () => {
    h = await outboxHarness();
    const record = await h.outbox.send(longDoc('big#1', 'Brief'));
    expect(record.state).toBe('delivered');
    const [state, content] = [await item('big#1', 'DOC'), await item('big#1', 'CONTENT')];
    expect(bytes(content)).toBeGreaterThan(1_500);
    expect(bytes(state)).toBeLessThan(1_024);
    expect(state).toMatchObject({ state: 'delivered', message: record.message });
    expect(state?.text).toBeUndefined();
    expect(content).toMatchObject({ text: 'Brief' });
  });

  it('a create that died between its two writes leaves content that the next create of the id records and posts', async () => {
    h = await outboxHarness();
    // What a crashed create leaves: the content item without its state item, not yet a record.
    await h.table.db.send(new PutCommand({ TableName: h.table.tableName, Item: { pk: 'OUTBOX#crash#1', sk: 'CONTENT', text: 'Written first', blocks: [] } }));
    expect(await h.outbox.get('crash#1')).toBeUndefined();
    const record = await h.outbox.send(longDoc('crash#1', 'Written again'));
    // One document per id: what was recorded is what is posted and returned.
    expect(record).toMatchObject({ state: 'delivered', text: 'Written first' });
    expect(h.slack.messages).toEqual([expect.objectContaining({ text: 'Written first' })]);
  });

  it('a repeated create (a retried event) costs a read: no transaction that would be refused and billed', async () => {
    h = await outboxHarness();
    const commands: string[] = [];
    h.table.db.middlewareStack.add(
      (next, context) => async (args) => {
        commands.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize', name: 'countCommands' },
    );
    const first = await h.outbox.send(longDoc('again#1', 'Brief'));
    expect(commands).toContain('TransactWriteItemsCommand');
    commands.length = 0;
    const repeat = await h.outbox.send(longDoc('again#1', 'Brief, written again'));
    expect(repeat).toMatchObject({ state: 'delivered', text: 'Brief', message: first.message });
    expect(commands).not.toContain('TransactWriteItemsCommand');
    expect(h.posts()).toHaveLength(1);
  });

  it('16 workers revising one delivered document at once: none fails, and Slack ends on what the record holds', async () => {
    h = await outboxHarness();
    const posted = await h.outbox.send({ id: 'brief#storm', kind: 'incident.brief', channel: 'C0INC', text: 'Brief', blocks: [] });
    // Revisions without an order (a brief's status line, an approval's buttons): each must be applied in turn.
    const revisions = Array.from({ length: 16 }, (_, i) => ({ text: `Brief, revision ${i + 1}`, blocks: [] }));
    const outcomes = await Promise.allSettled(revisions.map((content) => h.outbox.revise('brief#storm', content)));
    expect(outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [String(outcome.reason)] : []))).toEqual([]);
    h.timing.advance(60_000);
    await sweepOutbox(h);
    const record = await h.outbox.get('brief#storm');
    expect(record).toMatchObject({ state: 'delivered', message: posted.message });
    expect(revisions.map((content) => content.text)).toContain(record?.text);
    const updates = h.slack.calls.filter((call) => call.method === 'chat.update');
    expect(updates.at(-1)?.args).toMatchObject({ ts: posted.message?.ts, text: record?.text });
    expect(h.posts()).toHaveLength(1);
  });

  it('a claim leaves the due entry; a sweep that finds the record held moves it to the lease end, then delivers it once', async () => {
    h = await outboxHarness();
    h.slack.down(503);
    await h.outbox.send(longDoc('held#1', 'Brief'));
    h.slack.up();
    h.timing.advance(60_000);
    // An attempt that takes the record and dies before posting.
    const seen = await h.store.get('held#1');
    if (!seen) throw new Error('the document was not recorded');
    const held = await h.store.claim(seen, h.timing.now(), 30_000, true);
    expect(held?.dueAt).toBe(seen.dueAt);
    expect(await h.store.due(h.timing.now(), 10)).toHaveLength(1);

    await sweepOutbox(h);
    expect(h.posts()).toHaveLength(0);
    expect((await h.store.get('held#1'))?.dueAt).toBe(new Date(held?.inFlightUntil ?? 0).toISOString());
    expect(await h.store.due(h.timing.now(), 10)).toEqual([]);

    h.timing.advance(30_000);
    await sweepOutbox(h);
    expect(h.posts()).toHaveLength(1);
    expect(await h.outbox.get('held#1')).toMatchObject({ state: 'delivered' });
    expect(await h.store.due(h.timing.now(), 10)).toEqual([]);
  });

  it('erases both items of a document about a candidate', async () => {
    h = await outboxHarness();
    await h.outbox.send(longDoc('offer#1', 'Offer for a candidate', { candidateKey: 'ashby:cand-1' }));
    const deleted = await new DynamoErasure(h.table).forgetCandidate('ashby:cand-1');
    expect(deleted).toEqual([
      { pk: 'OUTBOX#offer#1', sk: 'CONTENT' },
      { pk: 'OUTBOX#offer#1', sk: 'DOC' },
    ]);
    expect(await h.outbox.get('offer#1')).toBeUndefined();
  });

  it('reads, delivers and revises a record written before the split (content on its state item)', async () => {
    h = await outboxHarness();
    h.slack.down(503);
    await h.outbox.send(longDoc('legacy#1', 'Brief — triggered'));
    // As an older version stored it: one item with everything.
    const content = await item('legacy#1', 'CONTENT');
    await h.table.db.send(
      new UpdateCommand({
        TableName: h.table.tableName,
        Key: { pk: 'OUTBOX#legacy#1', sk: 'DOC' },
        UpdateExpression: 'SET #text = :text, #blocks = :blocks',
        ExpressionAttributeNames: { '#text': 'text', '#blocks': 'blocks' },
        ExpressionAttributeValues: { ':text': content?.text, ':blocks': content?.blocks },
      }),
    );
    await h.table.db.send(new DeleteCommand({ TableName: h.table.tableName, Key: { pk: 'OUTBOX#legacy#1', sk: 'CONTENT' } }));
    expect(await h.outbox.get('legacy#1')).toMatchObject({ text: 'Brief — triggered', state: 'pending' });

    h.slack.up();
    h.timing.advance(60_000);
    await sweepOutbox(h);
    expect(h.slack.messages).toEqual([expect.objectContaining({ text: 'Brief — triggered' })]);

    await h.outbox.revise('legacy#1', { text: 'Brief — resolved', blocks: [] });
    expect(h.slack.messages).toEqual([expect.objectContaining({ text: 'Brief — resolved' })]);
    // The revision moved the content to its own item; the state item kept no copy.
    expect((await item('legacy#1', 'DOC'))?.text).toBeUndefined();
    expect(await item('legacy#1', 'CONTENT')).toMatchObject({ text: 'Brief — resolved' });
  });
});
