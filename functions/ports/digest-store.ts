import type { WrittenDocument } from './writer';

/** Items read from the `byTime` index for one window, and what reading them cost. */
export interface TimeWindowRead {
  items: Record<string, unknown>[];
  /** Items DynamoDB read to answer (the sum of `ScannedCount`): the flat-cost measure. */
  itemsRead: number;
  /** Read capacity units DynamoDB reported, when it reports them. */
  consumedCapacity: number;
  queries: number;
}

export interface DigestRecord {
  id: string;
  period: { from: string; to: string };
  metrics: unknown;
  document: WrittenDocument;
  /** The digest's outbox document; `message` is set when it was delivered at once (else see the outbox record). */
  documentId: string;
  message?: { channel: string; ts: string };
  itemsRead: number;
  writtenAt: string;
}

/** What the digest reads and where it keeps what it posted. */
export interface DigestStore {
  /** Every record indexed on `byTime` with an instant in [from, to), by key-conditioned queries per day. */
  readTimeWindow(from: Date, to: Date): Promise<TimeWindowRead>;
  /** The last digest written, for the next window's start. */
  lastDigest(): Promise<{ id: string; to: string } | undefined>;
  /** The digest written last, a manual one included (the one a reader saw most recently). */
  latestDigest(): Promise<{ id: string; to: string } | undefined>;
  /** Leases the right to write the digest of one period: a re-fired schedule cannot post twice. */
  claimDigest(id: string, now: Date, leaseMs: number): Promise<'claimed' | 'held-by-another' | 'already-posted'>;
  getDigest(id: string): Promise<DigestRecord | undefined>;
  /** Records the digest; `movesWindow` (scheduled runs) also makes it where the next window starts. */
  saveDigest(record: DigestRecord, movesWindow: boolean): Promise<void>;
}
