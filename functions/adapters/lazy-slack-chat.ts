import { ConfigError } from '../core/env';
import { ServiceSecretNames } from '../core/lambda-env';
import type { AssistantThreads } from '../ports/assistant-threads';
import type { Chat } from '../ports/chat';
import type { Secrets } from '../ports/secrets';
import type { SlackChatOptions } from './slack-chat';

/**
 * Slack with the bot token from the secrets, built on the first call: the token is read and
 * `@slack/web-api` (with axios) loaded only when something is posted, so a cold start does not
 * pay for them, and an outbox sweep or a click that posts nothing never does. The assistant pane's
 * calls (status, suggested prompts) are here too, for the answer worker. An empty token is
 * a ConfigError on that call (the outbox rethrows it, so the invocation fails and is retried).
 */
export function slackChatFromSecrets(secrets: Secrets, options: Omit<SlackChatOptions, 'token'> = {}): Chat & AssistantThreads {
  let built: Promise<Chat & AssistantThreads> | undefined;
  const slack = (): Promise<Chat & AssistantThreads> =>
    (built ??= (async () => {
      const token = await secrets.get(ServiceSecretNames.slackBotToken);
      if (!token) throw new ConfigError('The Slack bot token secret is empty');
      const { SlackChat } = await import('./slack-chat');
      // SLACK_API_URL (a fake on 127.0.0.1) is for tests of the Lambda handlers; unset in AWS.
      return new SlackChat({ token, apiUrl: process.env.SLACK_API_URL || undefined, ...options });
    })().catch((error: unknown) => {
      built = undefined; // a token set a minute later is picked up on the next call
      throw error;
    }));
  return {
    post: async (message) => (await slack()).post(message),
    update: async (message) => (await slack()).update(message),
    findPosted: async (query) => (await slack()).findPosted(query),
    postEphemeral: async (message) => (await slack()).postEphemeral(message),
    openModal: async (triggerId, modal) => (await slack()).openModal(triggerId, modal),
    describeChannel: async (channel) => (await slack()).describeChannel(channel),
    ping: async () => (await slack()).ping(),
    setSuggestedPrompts: async (channel, threadTs, title, prompts) => (await slack()).setSuggestedPrompts(channel, threadTs, title, prompts),
    setStatus: async (channel, threadTs, status) => (await slack()).setStatus(channel, threadTs, status),
  };
}
