import { ConfigError } from '../core/env';
import { ServiceSecretNames } from '../core/lambda-env';
import { type Outcome, withRereadOnRefusal } from '../core/secret-reread';
import type { AssistantThreads } from '../ports/assistant-threads';
import { type Chat, ChatDeliveryError } from '../ports/chat';
import { type Clock, systemClock } from '../ports/clock';
import type { Secrets } from '../ports/secrets';
import type { SlackChat, SlackChatOptions } from './slack-chat';

/**
 * Slack's answers that mean the token itself is no longer good (https://api.slack.com/methods/auth.test#errors):
 * a call refused so was not made, so it can be made again with a rotated token.
 */
const REVOKED_TOKEN_ERRORS: ReadonlySet<string> = new Set(['invalid_auth', 'token_revoked', 'not_authed', 'token_expired']);

/**
 * Slack with the bot token from the secrets: the token is read and `@slack/web-api` (with axios)
 * loaded at the first call, so a cold start does not pay for them, and an outbox sweep or a click
 * that posts nothing never does. A call refused for its token (a token rotated under a running
 * container) or made with an empty token re-reads the token once and is made again with the new
 * one (functions/core/secret-reread.ts). An empty token is a ConfigError on that call (the outbox
 * rethrows it, so the invocation fails and is retried). The assistant pane's calls are here too.
 */
export function slackChatFromSecrets(secrets: Secrets, options: Omit<SlackChatOptions, 'token'> = {}, clock: Clock = systemClock): Chat & AssistantThreads {
  // One client, for the token last read; a new token builds a new client.
  let client: { token: string; chat: Promise<SlackChat> } | undefined;
  const chatFor = (token: string | undefined): Promise<SlackChat> => {
    if (!token) throw new ConfigError('The Slack bot token secret is empty');
    if (client?.token !== token) {
      // SLACK_API_URL (a fake on 127.0.0.1) is for tests of the Lambda handlers; unset in AWS.
      const chat = import('./slack-chat').then(({ SlackChat }) => new SlackChat({ token, apiUrl: process.env.SLACK_API_URL || undefined, ...options }));
      client = { token, chat };
      // A failed load is tried again at the next call.
      chat.catch(() => {
        if (client?.chat === chat) client = undefined;
      });
    }
    return client.chat;
  };
  const call = <T>(use: (chat: SlackChat) => Promise<T>): Promise<T> =>
    withRereadOnRefusal({ secrets, clock, name: ServiceSecretNames.slackBotToken }, async (token) => use(await chatFor(token)), tokenRefused);
  return {
    post: (message) => call((slack) => slack.post(message)),
    update: (message) => call((slack) => slack.update(message)),
    findPosted: (query) => call((slack) => slack.findPosted(query)),
    postEphemeral: (message) => call((slack) => slack.postEphemeral(message)),
    openModal: (triggerId, modal) => call((slack) => slack.openModal(triggerId, modal)),
    describeChannel: (channel) => call((slack) => slack.describeChannel(channel)),
    ping: () => call((slack) => slack.ping()),
    setSuggestedPrompts: (channel, threadTs, title, prompts) => call((slack) => slack.setSuggestedPrompts(channel, threadTs, title, prompts)),
    setStatus: (channel, threadTs, status) => call((slack) => slack.setStatus(channel, threadTs, status)),
  };
}

function tokenRefused(outcome: Outcome<unknown>): boolean {
  if (outcome.ok) return false;
  const { error } = outcome;
  return error instanceof ConfigError || (error instanceof ChatDeliveryError && REVOKED_TOKEN_ERRORS.has(error.code));
}
