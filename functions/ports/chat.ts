import type { KnownBlock } from '@slack/types';

export type { KnownBlock };

export interface ChatMessage {
  channel: string;
  /** Plain fallback for notifications and clients that cannot show blocks. */
  text: string;
  blocks: KnownBlock[];
  /** Posts as a reply in this thread when set. */
  threadTs?: string;
}

export interface PostedMessage {
  channel: string;
  ts: string;
}

/** Where documents are posted: Slack in production, the local inbox on a laptop. */
export interface Chat {
  post(message: ChatMessage): Promise<PostedMessage>;
  update(message: Omit<ChatMessage, 'threadTs'> & { ts: string }): Promise<void>;
}
