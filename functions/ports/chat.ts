import type { KnownBlock } from '@slack/types';

export type { KnownBlock };

export interface ChatMessage {
  channel: string;
  /** Plain fallback for notifications and clients that cannot show blocks. */
  text: string;
  blocks: KnownBlock[];
  /** Posts as a reply in this thread when set. */
  threadTs?: string;
  /** Slack message metadata: how the outbox finds a post again whose outcome it did not learn. */
  metadata?: MessageMetadata;
}

/** Slack's event metadata on a message; readable by every workspace member, so never personal data. */
export interface MessageMetadata {
  event_type: string;
  event_payload: Record<string, string>;
}

/** Where to look for an earlier post carrying `metadata` (top level of `channel`, or one thread). */
export interface FindPostedQuery {
  channel: string;
  threadTs?: string;
  /** Only messages at or after this instant (the first attempt whose outcome is unknown, minus a margin). */
  since: Date;
  metadata: MessageMetadata;
}

/**
 * Why a post (or update) failed, as far as a retry is concerned:
 * - `not-sent`: Slack certainly did not post it (429, connection refused): retry freely;
 * - `unknown`: it may have been posted (timeout, reset, 5xx): look for it before posting again;
 * - `rejected`: Slack answered `ok: false` (`code` says why); nothing was posted.
 */
export type ChatFailure = 'not-sent' | 'unknown' | 'rejected';

export class ChatDeliveryError extends Error {
  override readonly name = 'ChatDeliveryError';
  constructor(
    message: string,
    readonly outcome: ChatFailure,
    /** Slack's platform error code (`channel_not_found`, …) or the HTTP/network code. */
    readonly code: string,
    /** From a 429's `Retry-After`. */
    readonly retryAfterMs?: number,
    /** With `missing_scope`: the scope Slack says the call needs. */
    readonly needed?: string,
  ) {
    super(message);
  }
}

/** A channel as Slack describes it to the app (`conversations.info`). */
export interface ChannelInfo {
  id: string;
  name?: string;
  isMember?: boolean;
  isArchived?: boolean;
  isPrivate?: boolean;
}

export interface PostedMessage {
  channel: string;
  ts: string;
}

/** A Slack modal asking for one line of text (a rejection reason). */
export interface TextInputModal {
  /** Routes the submission back (`view_submission.callback_id`). */
  callbackId: string;
  /** Carried through the modal untouched (`private_metadata`), e.g. the approval id. */
  privateMetadata: string;
  title: string;
  prompt: string;
  submitLabel: string;
  /** block_id and action_id of the text input. */
  inputBlockId: string;
  inputActionId: string;
}

/** Where documents are posted: Slack in production, the local inbox on a laptop. */
export interface Chat {
  /** Failures are `ChatDeliveryError`s saying whether the message may have been posted. */
  post(message: ChatMessage): Promise<PostedMessage>;
  update(message: Omit<ChatMessage, 'threadTs' | 'metadata'> & { ts: string }): Promise<void>;
  /** The message carrying `metadata` posted since `since`, if any (`conversations.history` / `.replies`). */
  findPosted(query: FindPostedQuery): Promise<PostedMessage | undefined>;
  /** A message only `user` sees, in `channel`. */
  postEphemeral(message: { channel: string; user: string; text: string }): Promise<void>;
  /** Opens a modal for the user whose click produced `triggerId` (valid for 3 seconds). */
  openModal(triggerId: string, modal: TextInputModal): Promise<void>;
  /** What Slack says about a channel (its name, whether the app is in it); failures are `ChatDeliveryError`s. */
  describeChannel(channel: string): Promise<ChannelInfo>;
  /** A cheap call that succeeds when Slack answers and accepts the token (`auth.test`): how the outbox learns Slack is back. */
  ping(): Promise<void>;
}
