import type { WrittenDocument } from './writer';

/** One weekly update as recorded: its figures, the document, and the same document as Markdown. */
export interface WeeklyRecord {
  id: string;
  period: { from: string; to: string };
  metrics: unknown;
  document: WrittenDocument;
  /** The update as Markdown, ready to paste into a board or E-staff document. */
  markdown: string;
  documentId: string;
  message?: { channel: string; ts: string };
  itemsRead: number;
  writtenAt: string;
}

/** Where the weekly update keeps what it wrote. */
export interface WeeklyStore {
  /** Leases the right to write one week's update: a re-fired schedule cannot write (or call the model) twice. */
  claimWeekly(id: string, now: Date, leaseMs: number): Promise<'claimed' | 'held-by-another' | 'already-posted'>;
  getWeekly(id: string): Promise<WeeklyRecord | undefined>;
  /** Records the update and makes it the latest. */
  saveWeekly(record: WeeklyRecord): Promise<void>;
  latestWeekly(): Promise<WeeklyRecord | undefined>;
}
