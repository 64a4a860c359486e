import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SlackChat } from '../../functions/adapters/slack-chat';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';

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

  it('retries a server error and then succeeds', async () => {
    slack.failNext('chat.postMessage', 1, 500);
    const chat = new SlackChat({ token: 'fake-slack-bot-token-for-tests', apiUrl: slack.apiUrl, retries: 2 });
    await expect(chat.post({ channel: 'C1', text: 't', blocks: [] })).resolves.toMatchObject({ channel: 'C1' });
    expect(slack.attempts.filter((call) => call.method === 'chat.postMessage')).toHaveLength(2);
  });

  it('gives up after its bounded retries instead of retrying for half an hour', async () => {
    slack.failNext('chat.postMessage', 10, 500);
    const chat = new SlackChat({ token: 'fake-slack-bot-token-for-tests', apiUrl: slack.apiUrl, retries: 1 });
    const started = Date.now();
    await expect(chat.post({ channel: 'C1', text: 't', blocks: [] })).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(slack.calls).toHaveLength(0);
    // One try and exactly one retry.
    expect(slack.attempts.filter((call) => call.method === 'chat.postMessage')).toHaveLength(2);
  });
});
