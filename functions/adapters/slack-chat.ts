import { WebAPIHTTPError, WebAPIPlatformError, WebAPIRateLimitedError, WebAPIRequestError, type WebClient } from '@slack/web-api';
import type { View } from '@slack/types';
import { MeteredWebClient } from './metered-slack-client';
import { type ChannelInfo, type Chat, ChatDeliveryError, type ChatMessage, type FindPostedQuery, type PostedMessage, type TextInputModal } from '../ports/chat';
import type { AssistantThreads, SuggestedPrompt } from '../ports/assistant-threads';

export interface SlackChatOptions {
  token: string;
  /** Base URL of the Web API, e.g. a fake on 127.0.0.1 in tests; Slack's own by default. */
  apiUrl?: string;
  /** Per request; a post that takes longer has an unknown outcome and the outbox looks for it later. */
  timeoutMs?: number;
  /** Retries of the calls that are safe to repeat (ephemeral messages, modals); posts never retry here. */
  retries?: number;
}

/** How many pages of history a search for an earlier post reads at most (200 messages a page). */
const FIND_PAGES = 5;

/**
 * Slack through `@slack/web-api`. Its defaults retry for about half an hour with no timeout,
 * and re-send a post that timed out after Slack accepted it. So posts, updates and history
 * reads go through a client that never retries and reports 429s instead of waiting: the
 * outbox does the retrying, after looking for the message when the outcome is unknown.
 */
export class SlackChat implements Chat, AssistantThreads {
  private readonly client: WebClient;
  private readonly once: WebClient;

  constructor(options: SlackChatOptions) {
    const timeout = options.timeoutMs ?? 5000;
    this.client = new MeteredWebClient(options.token, {
      slackApiUrl: options.apiUrl,
      timeout,
      retryConfig: { retries: options.retries ?? 2, factor: 2, minTimeout: 200, maxTimeout: 2000 },
      rejectRateLimitedCalls: false,
    });
    this.once = new MeteredWebClient(options.token, {
      slackApiUrl: options.apiUrl,
      timeout,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
  }

  async post(message: ChatMessage): Promise<PostedMessage> {
    const result = await classified(() =>
      this.once.chat.postMessage({
        channel: message.channel,
        text: message.text,
        blocks: message.blocks,
        ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
        ...(message.metadata ? { metadata: message.metadata } : {}),
        // Untrusted text is escaped; these make sure Slack adds no parsing of its own on top.
        link_names: false,
        parse: 'none',
        unfurl_links: false,
        unfurl_media: false,
      }),
    );
    if (!result.ts || !result.channel) throw new ChatDeliveryError('Slack chat.postMessage returned no ts/channel', 'unknown', 'no_ts');
    return { channel: result.channel, ts: result.ts };
  }

  async update(message: Omit<ChatMessage, 'threadTs' | 'metadata'> & { ts: string }): Promise<void> {
    await classified(() =>
      this.once.chat.update({
        channel: message.channel,
        ts: message.ts,
        text: message.text,
        blocks: message.blocks,
        link_names: false,
        parse: 'none',
      }),
    );
  }

  async findPosted(query: FindPostedQuery): Promise<PostedMessage | undefined> {
    // Slack ts are epoch seconds with a microsecond suffix; `oldest` bounds the search window.
    const oldest = (query.since.getTime() / 1000).toFixed(6);
    let cursor: string | undefined;
    for (let page = 0; page < FIND_PAGES; page += 1) {
      const common = { channel: query.channel, oldest, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) };
      const result = await classified(() =>
        query.threadTs ? this.once.conversations.replies({ ...common, ts: query.threadTs }) : this.once.conversations.history(common),
      );
      const found = (result.messages ?? []).find(
        (m) =>
          m.metadata?.event_type === query.metadata.event_type &&
          Object.entries(query.metadata.event_payload).every(
            ([key, value]) => (m.metadata?.event_payload as Record<string, unknown> | undefined)?.[key] === value,
          ),
      );
      if (found?.ts) return { channel: query.channel, ts: found.ts };
      cursor = result.response_metadata?.next_cursor || undefined;
      if (!cursor) return undefined;
    }
    return undefined;
  }

  async ping(): Promise<void> {
    await this.authTest();
  }

  /** `auth.test`: who the token is, and the scopes it carries (Slack's `x-oauth-scopes` header). */
  async authTest(): Promise<{ team?: string; user?: string; scopes: string[] }> {
    const result = await classified(() => this.once.auth.test());
    return { ...(result.team ? { team: result.team } : {}), ...(result.user ? { user: result.user } : {}), scopes: result.response_metadata?.scopes ?? [] };
  }

  async describeChannel(channel: string): Promise<ChannelInfo> {
    const result = await classified(() => this.once.conversations.info({ channel }));
    const info = result.channel;
    return {
      id: info?.id ?? channel,
      ...(info?.name ? { name: info.name } : {}),
      ...(info?.is_member !== undefined ? { isMember: info.is_member } : {}),
      ...(info?.is_archived !== undefined ? { isArchived: info.is_archived } : {}),
      ...(info?.is_private !== undefined ? { isPrivate: info.is_private } : {}),
    };
  }

  async postEphemeral(message: { channel: string; user: string; text: string }): Promise<void> {
    await this.client.chat.postEphemeral({ channel: message.channel, user: message.user, text: message.text, link_names: false, parse: 'none' });
  }

  async openModal(triggerId: string, modal: TextInputModal): Promise<void> {
    await this.client.views.open({ trigger_id: triggerId, view: modalView(modal) });
  }

  async setSuggestedPrompts(channel: string, threadTs: string, title: string, prompts: readonly SuggestedPrompt[]): Promise<void> {
    await this.client.assistant.threads.setSuggestedPrompts({ channel_id: channel, thread_ts: threadTs, title, prompts: prompts.map((p) => ({ ...p })) });
  }

  async setStatus(channel: string, threadTs: string, status: string): Promise<void> {
    await this.client.assistant.threads.setStatus({ channel_id: channel, thread_ts: threadTs, status });
  }
}

/** Network errors raised before anything reached Slack: the post certainly was not made. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Runs one Slack call and turns its failure into a `ChatDeliveryError` that says whether it may have happened. */
async function classified<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof WebAPIRateLimitedError) {
      throw new ChatDeliveryError(`Slack rate limited the call (retry after ${error.retryAfter} s)`, 'not-sent', 'ratelimited', error.retryAfter * 1000);
    }
    if (error instanceof WebAPIPlatformError) {
      const { needed } = error.data as { needed?: unknown };
      throw new ChatDeliveryError(
        `Slack refused the call: ${error.data.error}${typeof needed === 'string' ? ` (needs ${needed})` : ''}`,
        'rejected',
        error.data.error,
        undefined,
        typeof needed === 'string' ? needed : undefined,
      );
    }
    if (error instanceof WebAPIHTTPError) {
      // A 5xx may come after Slack has done the work; any other status means it did not.
      throw new ChatDeliveryError(`Slack answered HTTP ${error.statusCode}`, error.statusCode >= 500 ? 'unknown' : 'not-sent', `http_${error.statusCode}`);
    }
    if (error instanceof WebAPIRequestError) {
      const code = networkCode(error.original);
      throw new ChatDeliveryError(`Slack request failed: ${code}`, NOT_SENT_CODES.has(code) ? 'not-sent' : 'unknown', code);
    }
    throw new ChatDeliveryError(`Slack call failed: ${error instanceof Error ? error.message : String(error)}`, 'unknown', 'error');
  }
}

/** The system error code behind a failed fetch (undici nests it in `cause`), or the error's name (a timeout). */
function networkCode(error: Error): string {
  const cause = (error as { cause?: { code?: string; errors?: { code?: string }[] } }).cause;
  return (error as NodeJS.ErrnoException).code ?? cause?.code ?? cause?.errors?.[0]?.code ?? error.name ?? 'request_error';
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
