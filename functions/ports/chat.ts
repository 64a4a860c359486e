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
  post(message: ChatMessage): Promise<PostedMessage>;
  update(message: Omit<ChatMessage, 'threadTs'> & { ts: string }): Promise<void>;
  /** A message only `user` sees, in `channel`. */
  postEphemeral(message: { channel: string; user: string; text: string }): Promise<void>;
  /** Opens a modal for the user whose click produced `triggerId` (valid for 3 seconds). */
  openModal(triggerId: string, modal: TextInputModal): Promise<void>;
}
