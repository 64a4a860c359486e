import type { AssistantThreads, SuggestedPrompt } from '../ports/assistant-threads';
import {
  type ChannelInfo,
  type Chat,
  ChatDeliveryError,
  type ChatMessage,
  type FindPostedQuery,
  type KnownBlock,
  type MessageMetadata,
  type PostedMessage,
  type TextInputModal,
} from '../ports/chat';

export interface InboxMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  text: string;
  blocks: KnownBlock[];
  metadata?: MessageMetadata;
  postedAt: string;
  updatedAt?: string;
}

/** Where the inbox keeps its messages beyond the process (the local runtime's table), as Slack would. */
export interface InboxKeeper {
  save(message: InboxMessage): Promise<void>;
}

export interface InboxNotice {
  channel: string;
  user: string;
  text: string;
  at: string;
}

export interface InboxModal extends TextInputModal {
  triggerId: string;
  openedAt: string;
  /** Set when a submission was refused with field errors; the modal stays open. */
  error?: string;
}

/**
 * Local stand-in for Slack: messages for the inbox page at `GET /`, in memory and, with a
 * keeper, also saved before a post or update is acknowledged (notices and modals are ephemeral).
 */
export class InboxChat implements Chat, AssistantThreads {
  private readonly messages: InboxMessage[] = [];
  /** Ephemeral messages, newest last: the inbox shows them to the local user. */
  readonly notices: InboxNotice[] = [];
  /** Modals opened and not yet submitted, by trigger id. */
  readonly modals = new Map<string, InboxModal>();
  /** Assistant-pane status per thread (`<channel> <ts>`), e.g. "is thinking…"; cleared by a reply. */
  readonly statuses = new Map<string, string>();
  /** Suggested prompts set per assistant thread. */
  readonly suggestedPrompts = new Map<string, { title: string; prompts: SuggestedPrompt[] }>();
  private sequence = 0;

  constructor(
    private readonly now: () => Date = () => new Date(),
    private readonly keeper?: InboxKeeper,
  ) {}

  /** Puts back messages kept by an earlier process (oldest first); new ts values continue after theirs. */
  restore(messages: readonly InboxMessage[]): void {
    this.messages.push(...messages);
    for (const message of messages) this.sequence = Math.max(this.sequence, Number(message.ts.split('.')[1] ?? 0));
  }

  async post(message: ChatMessage): Promise<PostedMessage> {
    // Slack-shaped ts: seconds.micro-ish, unique and increasing within this process (and after a restore).
    const now = this.now();
    this.sequence += 1;
    const ts = `${Math.floor(now.getTime() / 1000)}.${String(this.sequence).padStart(6, '0')}`;
    const stored = { ...message, ts, postedAt: now.toISOString() };
    await this.keep(stored);
    this.messages.push(stored);
    // As in Slack, the app's reply in an assistant thread clears its status.
    if (message.threadTs) this.statuses.delete(`${message.channel} ${message.threadTs}`);
    return { channel: message.channel, ts };
  }

  async findPosted(query: FindPostedQuery): Promise<PostedMessage | undefined> {
    const found = this.messages.find(
      (m) =>
        m.channel === query.channel &&
        m.threadTs === query.threadTs &&
        m.metadata?.event_type === query.metadata.event_type &&
        Object.entries(query.metadata.event_payload).every(([key, value]) => m.metadata?.event_payload[key] === value),
    );
    return found ? { channel: found.channel, ts: found.ts } : undefined;
  }

  async update(message: Omit<ChatMessage, 'threadTs' | 'metadata'> & { ts: string }): Promise<void> {
    const existing = this.messages.find((m) => m.channel === message.channel && m.ts === message.ts);
    if (!existing) throw new Error(`No message ${message.ts} in ${message.channel}`);
    const updated = { ...existing, text: message.text, blocks: message.blocks, updatedAt: this.now().toISOString() };
    await this.keep(updated);
    Object.assign(existing, updated);
  }

  /** Saves before the change shows, so what the page shows is what a restart finds. */
  private async keep(message: InboxMessage): Promise<void> {
    if (!this.keeper) return;
    try {
      await this.keeper.save(message);
    } catch (error) {
      throw new ChatDeliveryError(
        `local inbox could not keep the message: ${error instanceof Error ? error.message : String(error)}`,
        'not-sent',
        'inbox_store_unavailable',
      );
    }
  }

  async postEphemeral(message: { channel: string; user: string; text: string }): Promise<void> {
    this.notices.push({ ...message, at: this.now().toISOString() });
  }

  async openModal(triggerId: string, modal: TextInputModal): Promise<void> {
    this.modals.set(triggerId, { ...modal, triggerId, openedAt: this.now().toISOString() });
  }

  async ping(): Promise<void> {}

  async describeChannel(channel: string): Promise<ChannelInfo> {
    return { id: channel, name: channel.replace(/^#/, ''), isMember: true, isArchived: false };
  }

  async setSuggestedPrompts(channel: string, threadTs: string, title: string, prompts: readonly SuggestedPrompt[]): Promise<void> {
    this.suggestedPrompts.set(`${channel} ${threadTs}`, { title, prompts: [...prompts] });
  }

  async setStatus(channel: string, threadTs: string, status: string): Promise<void> {
    if (status) this.statuses.set(`${channel} ${threadTs}`, status);
    else this.statuses.delete(`${channel} ${threadTs}`);
  }

  /** Every message in posting order. */
  all(): readonly InboxMessage[] {
    return this.messages;
  }

  /** Top-level messages newest first, each with its replies oldest first (as a Slack thread reads). */
  threads(): { parent: InboxMessage; replies: InboxMessage[] }[] {
    const parents = this.messages.filter((m) => !m.threadTs).reverse();
    return parents.map((parent) => ({
      parent,
      replies: this.messages.filter((m) => m.threadTs === parent.ts && m.channel === parent.channel),
    }));
  }
}
