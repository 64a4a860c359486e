import type { PostedMessage } from '../ports/chat';
import type { Urgency } from '../documents/kind';
import type { OutboxRecord } from '../ports/outbox';
import type { KnownBlock } from '../ports/chat';
import type { WrittenDocument } from '../ports/writer';

/** The stored record with what delivery needs beyond the port's view. */
export interface StoredOutboxRecord extends OutboxRecord {
  /** Grows by one with every `revise`; the first post carries the latest. */
  revision: number;
  /** The revision Slack shows (set on delivery and after each successful update). */
  shownRevision?: number;
  /** Epoch ms until which one attempt holds the record; nobody else posts meanwhile. */
  inFlightUntil?: number;
  /**
   * Set when an attempt starts and cleared once its outcome is known: still set at the next
   * attempt means the last one may have been posted (timeout, crash), so look for it first.
   */
  uncertainSince?: string;
  /** The revision the first of those uncertain attempts carried: if it is still current, a found message shows it. */
  uncertainRevision?: number;
  /** The `order` of the content recorded, when revisions carry one. */
  contentOrder?: number;
  /** When the content last changed (an update is given up a day after it). */
  revisedAt?: string;
  /** Erasure key for documents about a job candidate (see the `byCandidate` index). */
  candidateKey?: string;
  /** When the record next has work to do (a post, or an update of a delivered one); unset when it has none. */
  dueAt?: string;
  /** `slack`: its last attempt found Slack not answering, so it is made due again as soon as Slack answers. */
  waitingFor?: 'slack';
  /** When woken early, not before this (an attempt the client gave up on may still be processed by Slack). */
  notBefore?: string;
  /** DynamoDB TTL, epoch seconds. */
  expiresAtEpoch?: number;
}

export type NewOutboxRecord = Omit<
  StoredOutboxRecord,
  | 'message'
  | 'deliveredAt'
  | 'lastError'
  | 'shownRevision'
  | 'inFlightUntil'
  | 'uncertainSince'
  | 'uncertainRevision'
  | 'revisedAt'
  | 'dueAt'
  | 'expiresAtEpoch'
  | 'nextAttemptAt'
> & {
  /** When DynamoDB may delete the record. */
  expiresAt: Date;
};

export interface Content {
  text: string;
  blocks: KnownBlock[];
  document?: WrittenDocument;
  /** Where this content stands in its subject's history (e.g. events folded): an older one is ignored. */
  order?: number;
}

/** A pending record found by the sweeper: due at `dueAt`, in this channel. */
export interface DueEntry {
  id: string;
  channel: string;
  dueAt: string;
  createdAt: string;
  /** `routine` for entries written before urgency existed. */
  urgency: Urgency;
}

/**
 * Storage of the outbox. Every change that moves a record's due time moves its entry in the
 * due index with it, atomically, so the sweeper finds exactly the records with work to do.
 */
export interface OutboxStore {
  /** Writes the record unless its id exists; returns the record as stored (the first one on a repeat). */
  create(record: NewOutboxRecord): Promise<{ created: boolean; record: StoredOutboxRecord }>;
  get(id: string): Promise<StoredOutboxRecord | undefined>;
  /**
   * Takes the record for one attempt: only if nobody holds it and it is as `seen` (same attempt
   * count and due time). Sets the in-flight lease and "outcome unknown" and counts the attempt;
   * the due time stays, so a crash mid-post leaves the record due (see `deferDue`).
   */
  claim(seen: StoredOutboxRecord, now: Date, leaseMs: number, countsAsAttempt: boolean): Promise<StoredOutboxRecord | undefined>;
  /**
   * Moves the due time of a record an attempt holds (as `seen`) to `until`, its lease's end: what
   * the sweeper does when it finds one due, so it looks again once a dead attempt's lease is over,
   * not at every pass. Nothing happens if the record changed meanwhile.
   */
  deferDue(seen: StoredOutboxRecord, until: Date): Promise<void>;
  /**
   * Delivered with this message (showing `shownRevision`); returns the record as it now is.
   * `seen`, the record as the caller last wrote it, saves a read unless it changed meanwhile.
   */
  markDelivered(claimed: StoredOutboxRecord, message: PostedMessage, shownRevision: number, now: Date): Promise<StoredOutboxRecord>;
  /** Slack shows `revision` now; clears the due time unless a newer revision is waiting. */
  markShown(claimed: StoredOutboxRecord, revision: number, now: Date): Promise<StoredOutboxRecord>;
  /**
   * Releases the lease and sets the next attempt; `uncertain` false once the last outcome is
   * known. With `waitingFor: 'slack'` the record is one that `wakeSlackWaiting` makes due early.
   */
  reschedule(id: string, change: { dueAt: Date; lastError?: string; uncertain: boolean; waitingFor?: 'slack'; notBefore?: Date }): Promise<void>;
  /** Notes that Slack failed at `now` and documents wait for it (kept until `wakeSlackWaiting` clears it). */
  noteSlackFailure(now: Date): Promise<void>;
  /** When Slack last failed, while documents may be waiting for it; undefined when none are. */
  slackFailedAt(): Promise<string | undefined>;
  /**
   * Makes every pending document waiting for Slack due at `now` (or its `notBefore`), most
   * urgent first; returns how many. Clears the failure note if it is still `failedAt`.
   */
  wakeSlackWaiting(now: Date, failedAt: string): Promise<number>;
  markFailed(id: string, reason: string, now: Date): Promise<void>;
  /** New content; a delivered record becomes due for an update now. Undefined when there is no such record. */
  revise(id: string, content: Content, now: Date): Promise<StoredOutboxRecord | undefined>;
  /** Drops a due entry whose record no longer exists. */
  forgetDue(entry: DueEntry): Promise<void>;
  /**
   * Due entries up to `now`: per urgency, earliest first and at most `limit`, most urgent
   * urgency first, so a backlog of routine documents never hides an urgent one.
   */
  due(now: Date, limit: number): Promise<DueEntry[]>;
  /** The first reply placed before `id` in `parentId`'s thread (by thread position) that is still pending, if any. */
  earlierPendingReply(parentId: string, id: string, position: string): Promise<string | undefined>;
  /** Every record with work to do: how many, and when the oldest was created. */
  pendingStats(): Promise<{ count: number; oldestCreatedAt?: string }>;
}
