import type { Urgency } from '../documents/kind';
import type { KnownBlock } from './chat';
import type { DocumentKind, WrittenDocument } from './writer';

/**
 * The outbox: every document the service writes is recorded here, with its target and
 * delivery state, before anything is sent to Slack. Delivery is a separate step; what it
 * cannot finish now (Slack down, rate limited, a timeout with an unknown outcome) stays
 * pending and the sweeper delivers it later, in thread order, exactly once.
 *
 * Workers only ever call `send` and `revise`; they never talk to the Chat port for
 * documents, so a Slack outage cannot fail a worker.
 */

export type OutboxState = 'pending' | 'delivered' | 'failed';

/** What a worker hands to the outbox. */
export interface OutgoingDocument {
  /**
   * Stable id derived from what the document is (e.g. `incident#pagerduty#P1#brief`), so a
   * retried or concurrent worker records the same document once. Letters, digits, `#`, `:`,
   * `-`, `_` and `.` only: it travels in Slack message metadata.
   */
  id: string;
  /** The writer's kind, or a code-built message kind such as `escalation.notice`. */
  kind: DocumentKind | string;
  channel: string;
  /** Post as a reply in the thread of this other outbox document, once it is delivered. */
  parentId?: string;
  /**
   * Post as a reply in this Slack thread, one the service did not start (a question's thread).
   * Ignored when `parentId` is set.
   */
  threadTs?: string;
  text: string;
  blocks: KnownBlock[];
  /** The written document behind the message, kept to re-render it later (status lines). */
  document?: WrittenDocument;
  /** `<source>:<candidateId>` when the document names a job candidate: a GDPR erasure deletes its record too. */
  candidateKey?: string;
  /** When the record may be deleted (hiring retention); 180 days after it was written by default. */
  expiresAt?: Date;
  /** As for `revise`: how far into its subject's history this content is. */
  order?: number;
  /** Where a reply sits in its thread (e.g. its event's ISO instant); by default when it was recorded. */
  threadPosition?: string;
  /**
   * How soon it must reach its channel compared with the others waiting for it (see
   * functions/documents/kind.ts). Set by the producer when it knows better than the kind's
   * registered default (an incident brief from its priority).
   */
  urgency?: Urgency;
}

export interface OutboxRecord extends OutgoingDocument {
  state: OutboxState;
  attempts: number;
  createdAt: string;
  /** When the sweeper may try again (pending only). */
  nextAttemptAt?: string;
  /** The Slack message once delivered. */
  message?: { channel: string; ts: string };
  deliveredAt?: string;
  lastError?: string;
}

export interface Outbox {
  /**
   * Records the document (a repeated id keeps the first record) and tries to deliver it
   * now. Never throws for a Slack failure: the record stays pending for the sweeper.
   * Throws only when the record itself cannot be written (the caller's event is retried).
   */
  send(document: OutgoingDocument): Promise<OutboxRecord>;
  /**
   * Replaces the content of a recorded document: edited in place (`chat.update`) once
   * delivered; while still pending, the new content is what its first post will carry.
   * Content equal to what is recorded changes nothing. With `order` (how far into its
   * subject's history the content is, e.g. events folded), a revision older than the one
   * recorded is ignored, so concurrent workers cannot leave a stale status line.
   */
  revise(id: string, content: { text: string; blocks: KnownBlock[]; document?: WrittenDocument; order?: number }): Promise<void>;
  /** The record, delivered or not. */
  get(id: string): Promise<OutboxRecord | undefined>;
}
