import { describe, expect, it } from 'vitest';
import { DynamoConversationStore } from '../../functions/adapters/dynamo-conversations';
import { AskReads } from '../../functions/ask/ask-reads';
import { handleAskEvent } from '../../functions/ask/answer-worker';
import { findTool } from '../../functions/ask/tools';
import { askWorld, GUEST, VP } from '../support/ask-world';
import { parseSlackEvent } from '../../functions/ask/slack-events';
import { CodeAnswerer } from '../../functions/ask/answerer';

/** Wednesday 2 Dec 2026, 14:00 UTC (09:00 in New York): the month is under two days old. */
const NOW = new Date('2026-12-02T14:00:00Z');

describe('POST /slack/events', () => {
  it('answers the url_verification challenge', async () => {
    const world = await askWorld({ now: NOW });
    const response = await world.post({ type: 'url_verification', token: 'legacy', challenge: 'c2xhY2stY2hhbGxlbmdl' });
    expect(response).toEqual({ status: 200, body: { challenge: 'c2xhY2stY2hhbGxlbmdl' } });
  });

  it('refuses a bad signature, a stale timestamp and a missing one with 401, and stores nothing', async () => {
    const world = await askWorld({ now: NOW });
    const body = world.question('what needs me today?');
    expect((await world.post(body, { secret: 'not-the-signing-secret' })).status).toBe(401);
    expect((await world.post(body, { at: new Date(NOW.getTime() - 6 * 60_000) })).status).toBe(401);
    expect(await world.table.items()).toEqual([]);
    expect(world.chat.all()).toEqual([]);
  });

  it('answers a question once, in its thread, however often Slack retries the event', async () => {
    const world = await askWorld({ now: NOW });
    const body = world.question('what needs me today?');
    const first = await world.post(body);
    const retries = await Promise.all([1, 2, 3].map((retry) => world.post(body, { retry })));
    expect(first).toMatchObject({ status: 200, body: { status: 'accepted' } });
    for (const retry of retries) expect(retry.status).toBe(200);
    const answers = world.answersIn('C0LEADERS', body.event.ts);
    expect(answers).toHaveLength(1);
    expect(answers[0]).toContain('What needs you now');
    // One turn, answered once.
    const turns = (await world.table.items()).filter((item) => String(item.pk).startsWith('THREAD#'));
    expect(turns).toHaveLength(1);
    expect(turns[0]).toMatchObject({ answeredBy: 'code', question: 'what needs me today?' });
  });

  it('ignores its own posts, other bots, edits and channel chatter: 200 and nothing answered', async () => {
    const world = await askWorld({ now: NOW });
    const base = world.question('what needs me today?');
    const variants = [
      { ...base, event_id: 'EvOWN', event: { ...base.event, user: 'U0APPBOT' } },
      { ...base, event_id: 'EvBOT', event: { ...base.event, bot_id: 'B0OTHER' } },
      { ...base, event_id: 'EvEDIT', event: { ...base.event, type: 'message', channel_type: 'im', subtype: 'message_changed' } },
      { ...base, event_id: 'EvCHAN', event: { ...base.event, type: 'message', channel_type: 'channel' } },
    ];
    for (const body of variants) expect(await world.post(body)).toMatchObject({ status: 200, body: { status: 'ignored' } });
    expect(world.chat.all()).toEqual([]);
    expect(await world.table.items()).toEqual([]);
  });
});

describe('who may ask what', () => {
  it('refuses someone not allowed with one short reply, having read nothing', async () => {
    const world = await askWorld({ now: NOW });
    await world.seed();
    const reads: string[] = [];
    const spy = new Proxy(world.store, {
      get(target, name, receiver) {
        const value = Reflect.get(target, name, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          reads.push(String(name));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    world.answerDeps.reads = { ...world.answerDeps.reads, store: spy };
    const body = world.question('what needs me today?', { user: GUEST, dm: true });
    await world.post(body);
    const answers = world.answersIn('D0ASKVP', undefined);
    expect(answers).toHaveLength(1);
    expect(answers[0]).toContain('Sorry, I can only answer the engineering leadership team.');
    expect(answers[0]).not.toMatch(/#4212|P1|error budget/);
    expect(reads).toEqual([]);
  });

  it('answers hiring questions only to hiring viewers, and only in a direct message', async () => {
    const world = await askWorld({ now: NOW, env: { HIRING_VIEWER_IDS: VP, ASK_ALLOWED_USER_IDS: `${VP},U0ASKCTO` } });
    await world.seed();
    const inChannel = world.question('which candidates are stuck at onsite?');
    await world.post(inChannel);
    expect(world.answersIn('C0LEADERS', inChannel.event.ts).join()).toContain('Please ask me about hiring in a direct message.');
    const notViewer = world.question('how is hiring going?', { user: 'U0ASKCTO', dm: true });
    await world.post(notViewer);
    expect(world.answersIn('D0ASKVP', undefined).join()).toContain('hiring questions are limited to the hiring team');
    const allowed = world.question('how is hiring going?', { dm: true, threadTs: '1764684000.000900' });
    await world.post(allowed);
    const answer = world.answersIn('D0ASKVP', '1764684000.000900').join();
    expect(answer).toContain('Stage moves');
    // Applications by job and id only: no candidate contact data exists to show.
    expect(answer).not.toMatch(/@[a-z]+\.|\+1 ?\d{3}/i);
  });
});

describe('the tools, on DynamoDB Local', () => {
  it('each tool answers from the store with the digest figures, bounded', async () => {
    const world = await askWorld({ now: NOW });
    await world.seed();
    const reads = new AskReads(world.answerDeps.reads, NOW);
    const run = async (name: string, input: Record<string, unknown> = {}) => {
      const tool = findTool(name);
      if (!tool) throw new Error(name);
      return (await tool.run(input, reads)).result as Record<string, unknown>;
    };
    const incidents = await run('incidents');
    expect(incidents.openNow).toBe(1);
    expect(incidents.open).toMatchObject([{ incident: '#4212', priority: 'P1', openFor: '30 min', acknowledged: 'not acknowledged' }]);
    const incident = await run('incident', { number: '4211' });
    expect(incident).toMatchObject({ found: true, status: 'resolved', timeToAcknowledge: '7 min', timeToResolve: '34 min' });
    expect((await run('incident', { number: '#999' })).found).toBe(false);
    const availability = await run('availability');
    expect(availability.lines).toEqual(expect.arrayContaining([expect.stringMatching(/^Availability this month 9\d\.\d{3}% against a 99\.99% SLO/)]));
    const dora = await run('dora', { period: 'this_month' });
    expect((dora.lines as string[]).join('\n')).toMatch(/Deployment frequency: 3 production deployments/);
    expect(dora.weeks).toHaveLength(8);
    const approvals = await run('approvals');
    expect(approvals.waiting).toHaveLength(3);
    const hiring = await run('hiring');
    expect((hiring.lines as string[]).join('\n')).toContain('Stage moves');
    expect((await run('latest_digest')).found).toBe(false);
    await world.digest();
    expect(await run('latest_digest')).toMatchObject({ found: true });
    await expect(run('incident', { number: 'drop table' })).rejects.toThrow();
  });
});

describe('the code-built answerer (no key)', () => {
  it('"what needs me today?" names the open P1, the approvals waiting and the error budget, as the digest says them', async () => {
    const world = await askWorld({ now: NOW });
    await world.seed();
    const digest = await world.digest();
    const body = world.question('what needs me today?');
    await world.post(body);
    const [answer = ''] = world.answersIn('C0LEADERS', body.event.ts);
    expect(answer).toContain('P1 #4212 open');
    expect(answer).toContain('Search API timing out for all customers');
    // The digest's approvals line; an offer's candidate is "an offer" in a channel.
    const [, count, oldest = '', waited] = /(\d+ approvals waiting); oldest: (.+?), waiting ([^"\\]+)/.exec(digest) ?? [];
    expect(count).toBeDefined();
    expect(answer).toContain(`${count}; oldest: ${/Marisol|Tobias/.test(oldest) ? 'an offer' : oldest}, waiting ${waited}`);
    const budgetLine = /Availability this month [^"\\]+/.exec(digest)?.[0];
    expect(budgetLine).toBeDefined();
    expect(answer).toContain(budgetLine);
    // Offers waiting name candidates: in a channel they are "an offer", nothing more.
    expect(answer).toContain('an offer (ask in a direct message for details)');
    expect(answer).not.toMatch(/Marisol|Tobias|Quintero|Nakamura/);
  });

  it('"how are we tracking on DORA this month?" gives the four figures and the trend the digest shows', async () => {
    const world = await askWorld({ now: NOW });
    await world.seed();
    const digest = await world.digest();
    const body = world.question('how are we tracking on DORA this month?');
    await world.post(body);
    const [answer = ''] = world.answersIn('C0LEADERS', body.event.ts);
    for (const pattern of [
      /Change lead time: [^"\\]+/,
      /Change failure rate: [^"\\]+/,
      /Failed deployment recovery time: [^"\\]+/,
      /Deployments per week, last 8 weeks: [^"\\]+/,
      /Lead time per week \(median\), last 8 weeks: [^"\\]+/,
    ]) {
      const line = pattern.exec(digest)?.[0];
      expect(line, String(pattern)).toBeDefined();
      expect(answer).toContain(line);
    }
    // Deployment frequency: the same count; the per-day rate is of the month so far, not the digest's day.
    expect(answer).toContain('Deployment frequency: 3 production deployments');
  });

  it('a follow-up in the thread ("and last month?") keeps the topic and changes the period', async () => {
    const world = await askWorld({ now: NOW });
    await world.seed();
    const first = world.question('where are we on availability?');
    await world.post(first);
    const followUp = world.question('and last month?', { threadTs: first.event.ts });
    await world.post(followUp);
    const answers = world.answersIn('C0LEADERS', first.event.ts);
    expect(answers).toHaveLength(2);
    expect(answers[0]).toContain('this month so far');
    expect(answers[1]).toContain('last month');
    // Last month's figures are named as November's, never "this month".
    expect(answers[1]).toContain('Availability in November 2026');
    expect(answers[1]).not.toContain('this month');
    const turns = await new DynamoConversationStore(world.table.db, world.table.tableName).recentTurns(
      { channel: 'C0LEADERS', threadTs: first.event.ts },
      '9999',
      5,
    );
    expect(turns.map((turn) => turn.question)).toEqual(['where are we on availability?', 'and last month?']);
  });

  it('says plainly what it can answer when it does not recognise the question', async () => {
    const world = await askWorld({ now: NOW });
    const body = world.question('what is our cloud bill?');
    await world.post(body);
    const [answer = ''] = world.answersIn('C0LEADERS', body.event.ts);
    expect(answer).toContain('I can only answer a few kinds of question without the AI model');
    expect(answer).toContain('How are we tracking on DORA this month?');
  });

  it('the same question handed to three answer workers at once (a bus redelivery) is answered once, with one answerer call', async () => {
    let calls = 0;
    const world = await askWorld({
      now: NOW,
      answerer: () => ({
        answer: async (request) => {
          calls += 1;
          // As slow as a model: every worker is running before the first one is done.
          await new Promise((resolve) => setTimeout(resolve, 200));
          return new CodeAnswerer().answer(request);
        },
      }),
    });
    await world.seed();
    const body = world.question('which approvals are waiting?');
    const action = parseSlackEvent(Buffer.from(JSON.stringify(body)));
    if (action.kind !== 'event') throw new Error(`expected an event, got ${action.kind}`);
    await Promise.all([1, 2, 3].map(() => handleAskEvent(action.event, world.answerDeps)));
    expect(calls).toBe(1);
    expect(world.answersIn('C0LEADERS', body.event.ts)).toHaveLength(1);
  });

  it('without a key, a request to draft says drafting needs the model instead of answering another question', async () => {
    const world = await askWorld({ now: NOW });
    const body = world.question("draft a note for the CFO about last night's checkout incident");
    await world.post(body);
    const [answer = ''] = world.answersIn('C0LEADERS', body.event.ts);
    expect(answer).toContain('Drafting needs the AI model');
    expect(answer).not.toMatch(/open for|P1 #/);
    expect(answer).toContain('How are we tracking on DORA this month?');
  });

  it('sets suggested prompts when the assistant pane opens', async () => {
    const world = await askWorld({ now: NOW });
    await handleAskEvent(
      {
        id: 'slack:EvPANE',
        source: 'slack',
        type: 'assistant.thread_started',
        occurredAt: NOW.toISOString(),
        deliveryId: 'EvPANE',
        subject: { kind: 'assistant-thread', id: 'D0ASKVP:1764684000.000100', title: 'Assistant thread opened' },
        actors: [],
        links: [],
        facts: { channel: 'D0ASKVP', threadTs: '1764684000.000100', user: VP },
      },
      world.answerDeps,
    );
    expect(world.chat.suggestedPrompts.get('D0ASKVP 1764684000.000100')?.prompts.map((p) => p.message)).toContain('What needs me today?');
  });
});
