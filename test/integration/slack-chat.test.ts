import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { slackChatFromSecrets } from '../../functions/adapters/lazy-slack-chat';
import { SlackChat } from '../../functions/adapters/slack-chat';
import { REREAD_INTERVAL_MS } from '../../functions/core/secret-reread';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';
import { RotatingSecrets } from '../support/rotating-secrets';
import { VirtualTime } from '../support/virtual-time';

describe('SlackChat (real @slack/web-api against a fake Slack)', () => {
  let slack: FakeSlack;
  beforeEach(async () => {
    slack = await startFakeSlack();
  });
  afterEach(async () => {
    await slack.close();
  });

  it('posts blocks, threads replies and updates in place', async () => {
    const chat = new SlackChat({ token: 'fake-slack-bot-token-for-tests', apiUrl: slack.apiUrl });
    const blocks = [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: '*Hi* 🚀', verbatim: true } }];
    const posted = await chat.post({ channel: 'C1', text: 'Hi 🚀', blocks });
    await chat.post({ channel: 'C1', text: 'reply', blocks, threadTs: posted.ts });
    await chat.update({ channel: 'C1', ts: posted.ts, text: 'edited', blocks });
    expect(slack.calls.map((call) => call.method)).toEqual(['chat.postMessage', 'chat.postMessage', 'chat.update']);
    expect(slack.calls[0]?.args).toMatchObject({ channel: 'C1', text: 'Hi 🚀', blocks, link_names: 'false', parse: 'none' });
    expect(slack.calls[1]?.args.thread_ts).toBe(posted.ts);
    expect(slack.calls[2]?.args).toMatchObject({ ts: posted.ts, text: 'edited' });
  });

  it('never retries a post itself: a 500 is one attempt whose outcome is unknown', async () => {
    slack.failNext('chat.postMessage', 1, 500);
    const chat = new SlackChat({ token: 'fake-slack-bot-token-for-tests', apiUrl: slack.apiUrl, retries: 2 });
    await expect(chat.post({ channel: 'C1', text: 't', blocks: [] })).rejects.toMatchObject({ outcome: 'unknown', code: 'http_500' });
    expect(slack.attempts.filter((call) => call.method === 'chat.postMessage')).toHaveLength(1);
    expect(slack.messages).toHaveLength(0);
  });

  it('reports a 429 with its Retry-After instead of waiting, and says nothing was posted', async () => {
    slack.rateLimitNext('chat.postMessage', 1, 30);
    const chat = new SlackChat({ token: 'fake-slack-bot-token-for-tests', apiUrl: slack.apiUrl });
    const started = Date.now();
    await expect(chat.post({ channel: 'C1', text: 't', blocks: [] })).rejects.toMatchObject({ outcome: 'not-sent', retryAfterMs: 30_000 });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('times out a post Slack accepted but answers late, once, as outcome unknown', async () => {
    slack.answerLateNext('chat.postMessage', 1, 12_000);
    const chat = new SlackChat({ token: 'fake-slack-bot-token-for-tests', apiUrl: slack.apiUrl, timeoutMs: 300 });
    await expect(chat.post({ channel: 'C1', text: 't', blocks: [] })).rejects.toMatchObject({ outcome: 'unknown' });
    expect(slack.attempts).toHaveLength(1);
    expect(slack.messages).toHaveLength(1);
  });

  it('reports a refused connection as not posted', async () => {
    const url = slack.apiUrl;
    await slack.close();
    const chat = new SlackChat({ token: 'fake-slack-bot-token-for-tests', apiUrl: url });
    await expect(chat.post({ channel: 'C1', text: 't', blocks: [] })).rejects.toMatchObject({ outcome: 'not-sent', code: 'ECONNREFUSED' });
    slack = await startFakeSlack();
  });

  it('finds a post by its metadata at the top level and in a thread, asking for metadata explicitly', async () => {
    const chat = new SlackChat({ token: 'fake-slack-bot-token-for-tests', apiUrl: slack.apiUrl });
    const meta = (id: string) => ({ event_type: 'exec_eng_lead_document', event_payload: { document_id: id } });
    const since = new Date(Date.now() - 60_000);
    const parent = await chat.post({ channel: 'C1', text: 'p', blocks: [], metadata: meta('a') });
    const reply = await chat.post({ channel: 'C1', text: 'r', blocks: [], threadTs: parent.ts, metadata: meta('b') });
    expect(await chat.findPosted({ channel: 'C1', since, metadata: meta('a') })).toEqual(parent);
    expect(await chat.findPosted({ channel: 'C1', since, metadata: meta('b') })).toBeUndefined();
    expect(await chat.findPosted({ channel: 'C1', threadTs: parent.ts, since, metadata: meta('b') })).toEqual(reply);
    expect(await chat.findPosted({ channel: 'C1', since: new Date(Date.now() + 60_000), metadata: meta('a') })).toBeUndefined();
    const searches = slack.calls.filter((call) => call.method.startsWith('conversations.'));
    expect(searches.every((call) => call.args.include_all_metadata === 'true')).toBe(true);
  });

  it('from the secrets: reads the token at the first call, not before, and carries the assistant pane calls too', async () => {
    const reads: string[] = [];
    const secrets = new RotatingSecrets({ SLACK_BOT_TOKEN: 'fake-slack-bot-token-for-tests' });
    const chat = slackChatFromSecrets(
      { get: async (name) => (reads.push(name), secrets.get(name)), reread: (name) => secrets.reread(name) },
      { apiUrl: slack.apiUrl },
    );
    expect(reads).toEqual([]);
    await chat.setStatus('D1', '1700000000.000100', 'is thinking…');
    await chat.setSuggestedPrompts('D1', '1700000000.000100', 'Ask', [{ title: 'DORA', message: 'How are we tracking on DORA?' }]);
    await chat.post({ channel: 'D1', text: 'answer', blocks: [], threadTs: '1700000000.000100' });
    // From the container's cache at each call; nothing refused, so nothing re-read.
    expect(reads).toEqual(['SLACK_BOT_TOKEN', 'SLACK_BOT_TOKEN', 'SLACK_BOT_TOKEN']);
    expect(secrets.rereads).toBe(0);
    expect(slack.calls.map((call) => call.method)).toEqual(['assistant.threads.setStatus', 'assistant.threads.setSuggestedPrompts', 'chat.postMessage']);
    expect(slack.calls[0]?.args).toMatchObject({ channel_id: 'D1', thread_ts: '1700000000.000100', status: 'is thinking…' });
  });

  it('a bot token rotated under a running container: the refused post re-reads the token and is made once, with the new one', async () => {
    // Prepare: the container cached the old token; the operator put a new one and Slack revoked the old.
    const secrets = new RotatingSecrets({ SLACK_BOT_TOKEN: 'fake-old-slack-token' });
    const clock = new VirtualTime('2026-12-02T09:00:00Z');
    const chat = slackChatFromSecrets(secrets, { apiUrl: slack.apiUrl }, clock);
    await chat.post({ channel: 'C1', text: 'before', blocks: [] });
    secrets.rotate('SLACK_BOT_TOKEN', 'fake-new-slack-token');
    slack.acceptOnlyToken('fake-new-slack-token');
    // Act
    await chat.post({ channel: 'C1', text: 'after', blocks: [] });
    await chat.update({ channel: 'C1', ts: slack.messages[1]?.ts ?? '', text: 'after, edited', blocks: [] });
    // Assess: one re-read, the refused attempt made nothing, the later call used the new token at once.
    expect(secrets.rereads).toBe(1);
    expect(slack.messages.map((m) => m.text)).toEqual(['before', 'after, edited']);
    expect(slack.attempts.map((call) => call.authorization)).toEqual([
      'Bearer fake-old-slack-token',
      'Bearer fake-old-slack-token',
      'Bearer fake-new-slack-token',
      'Bearer fake-new-slack-token',
    ]);
  });

  it('a revoked token with no new one: one re-read a minute, and the error says what Slack answered', async () => {
    const secrets = new RotatingSecrets({ SLACK_BOT_TOKEN: 'fake-revoked-slack-token' });
    const clock = new VirtualTime('2026-12-02T09:00:00Z');
    const chat = slackChatFromSecrets(secrets, { apiUrl: slack.apiUrl }, clock);
    slack.refuseAll('token_revoked');
    for (let i = 0; i < 5; i += 1) {
      await expect(chat.post({ channel: 'C1', text: `try ${i}`, blocks: [] })).rejects.toMatchObject({ code: 'token_revoked', outcome: 'rejected' });
    }
    expect(secrets.rereads).toBe(1);
    await clock.advance(REREAD_INTERVAL_MS);
    await expect(chat.post({ channel: 'C1', text: 'later', blocks: [] })).rejects.toMatchObject({ code: 'token_revoked' });
    expect(secrets.rereads).toBe(2);
    expect(slack.messages).toEqual([]);
  });
});
