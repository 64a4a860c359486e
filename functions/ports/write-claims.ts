import type { ClaimResult } from './store';

/**
 * The right to write one document (to call the writer, and so the model, for it), keyed by the
 * document's outbox id. One holder at a time; a holder that died is replaced once its lease lapses.
 */
export interface WriteClaims {
  /** `claimed` for the caller; `held-by-another` while someone's lease runs; `already-posted` once written. */
  claim(documentId: string, now: Date, leaseMs: number): Promise<ClaimResult>;
  /** The document is in the outbox: nobody needs to write it again. */
  markWritten(documentId: string, now: Date): Promise<void>;
  /** The holder failed: the next caller may claim at once instead of waiting out the lease. */
  release(documentId: string): Promise<void>;
}
