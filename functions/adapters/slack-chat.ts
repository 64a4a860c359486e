import { WebClient } from '@slack/web-api';
import type { View } from '@slack/types';
import { ConfigError } from '../core/env';
import { ServiceSecretNames } from '../core/lambda-env';
import type { Chat, ChatMessage, PostedMessage, TextInputModal } from '../ports/chat';
import type { Secrets } from '../ports/secrets';

export interface SlackChatOptions {
  token: string;
  /** Base URL of the Web API, e.g. a fake on 127.0.0.1 in tests; Slack's own by default. */
  apiUrl?: string;
  timeoutMs?: number;
  retries?: number;
}

/**
 * Slack through `@slack/web-api`. Its defaults retry for about half an hour with no
 * timeout, far past any Lambda timeout, so both are bounded here.
 */
export class SlackChat implements Chat {
  private readonly client: WebClient;

  constructor(options: SlackChatOptions) {
    this.client = new WebClient(options.token, {
      slackApiUrl: options.apiUrl,
      timeout: options.timeoutMs ?? 5000,
      retryConfig: { retries: options.retries ?? 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
      rejectRateLimitedCalls: false,
    });
  }

  async post(message: ChatMessage): Promise<PostedMessage> {
    const result = await this.client.chat.postMessage({
      channel: message.channel,
      text: message.text,
      blocks: message.blocks,
      ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
      // Untrusted text is escaped; these make sure Slack adds no parsing of its own on top.
      link_names: false,
      parse: 'none',
      unfurl_links: false,
      unfurl_media: false,
    });
    if (!result.ts || !result.channel) throw new Error('Slack chat.postMessage returned no ts/channel');
    return { channel: result.channel, ts: result.ts };
  }

  async update(message: Omit<ChatMessage, 'threadTs'> & { ts: string }): Promise<void> {
    await this.client.chat.update({
      channel: message.channel,
      ts: message.ts,
      text: message.text,
      blocks: message.blocks,
      link_names: false,
      parse: 'none',
    });
  }

  async postEphemeral(message: { channel: string; user: string; text: string }): Promise<void> {
    await this.client.chat.postEphemeral({ channel: message.channel, user: message.user, text: message.text, link_names: false, parse: 'none' });
  }

  async openModal(triggerId: string, modal: TextInputModal): Promise<void> {
    await this.client.views.open({ trigger_id: triggerId, view: modalView(modal) });
  }
}

/** Slack with the bot token from the secrets (read on first use in a Lambda, not at import); a clear error when it is empty. */
export async function slackChatFromSecrets(secrets: Secrets, options: Omit<SlackChatOptions, 'token'> = {}): Promise<SlackChat> {
  const token = await secrets.get(ServiceSecretNames.slackBotToken);
  if (!token) throw new ConfigError('The Slack bot token secret is empty');
  return new SlackChat({ token, ...options });
}

/** Block Kit for a one-field modal. Its texts are plain_text (never parsed as markup); the prompt may quote a subject's title. */
export function modalView(modal: TextInputModal): View {
  return {
    type: 'modal',
    callback_id: modal.callbackId,
    private_metadata: modal.privateMetadata,
    title: { type: 'plain_text', text: modal.title.slice(0, 24) },
    submit: { type: 'plain_text', text: modal.submitLabel.slice(0, 24) },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: modal.inputBlockId,
        label: { type: 'plain_text', text: modal.prompt.slice(0, 2000) },
        element: { type: 'plain_text_input', action_id: modal.inputActionId, multiline: true, max_length: 3000, min_length: 3 },
      },
    ],
  };
}
