import type { Clock } from '../ports/clock';
import type { Outbox, OutboxRecord } from '../ports/outbox';
import type { WriteClaims } from '../ports/write-claims';
import type { WrittenDocument } from '../ports/writer';

/** Longer than a writer may take (the Claude writer gives up after 40 s, corrective call included) and shorter than the incident worker's 60 s timeout. */
export const DEFAULT_WRITE_LEASE_MS = 45_000;
/** How long a worker that lost the claim waits for the holder's document (past a lease, so it takes over from a holder that died) before its event is retried. */
export const DEFAULT_WRITE_WAIT_MS = 50_000;
const FIRST_POLL_MS = 50;
const LONGEST_POLL_MS = 1_000;

export interface WriteOnceDeps {
  claims: WriteClaims;
  outbox: Pick<Outbox, 'get'>;
  clock: Clock;
  leaseMs?: number;
  waitMs?: number;
  /** Injected so tests can wait in virtual time. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The write-once part of a worker's dependencies, picked by name: a worker's own `leaseMs` (its
 * period or effect lease) must never become the write claim's lease.
 */
export function writingDeps(deps: Pick<WriteOnceDeps, 'claims' | 'outbox' | 'clock' | 'sleep'>): WriteOnceDeps {
  return { claims: deps.claims, outbox: deps.outbox, clock: deps.clock, ...(deps.sleep ? { sleep: deps.sleep } : {}) };
}

export interface DocumentToWrite {
  /** The document's outbox id: what the claim is keyed by. */
  id: string;
  /** Calls the writer (perhaps the model). Called at most once per document while claims hold. */
  write(): Promise<WrittenDocument>;
  /** Hands the written document to the outbox under `id`. */
  send(document: WrittenDocument): Promise<OutboxRecord>;
}

/** Another worker holds the claim and its document did not appear in time: retry the event later (it will then be there, or the lease lapsed). */
export class DocumentBeingWrittenError extends Error {
  override readonly name = 'DocumentBeingWrittenError';
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Writes a document and records it in the outbox exactly once, however many workers race for
 * it: the first to claim it (a conditional write keyed by the outbox id) calls the writer; the
 * others never call it and wait for its record instead. A holder that died is replaced once its
 * lease lapses; one that failed releases the claim so a retry can start at once. Every producer
 * of written documents calls this, so the model is paid once per document.
 */
export async function writeOnce(deps: WriteOnceDeps, document: DocumentToWrite): Promise<OutboxRecord> {
  const leaseMs = deps.leaseMs ?? DEFAULT_WRITE_LEASE_MS;
  const waitMs = deps.waitMs ?? DEFAULT_WRITE_WAIT_MS;
  const sleep = deps.sleep ?? realSleep;
  let waited = 0;
  let pause = FIRST_POLL_MS;
  for (;;) {
    const recorded = await deps.outbox.get(document.id);
    if (recorded) return recorded;
    const claim = await deps.claims.claim(document.id, deps.clock.now(), leaseMs);
    if (claim === 'claimed') return writeHeld(deps, document);
    if (claim === 'already-posted') {
      const written = await deps.outbox.get(document.id);
      // Marked written only after the outbox accepted it; absent means it expired (TTL) long ago.
      if (written) return written;
      throw new Error(`Document ${document.id} is marked written but is not in the outbox`);
    }
    if (waited >= waitMs) throw new DocumentBeingWrittenError(`Document ${document.id} is being written by another worker`);
    await sleep(pause);
    waited += pause;
    pause = Math.min(pause * 2, LONGEST_POLL_MS);
  }
}

async function writeHeld(deps: WriteOnceDeps, document: DocumentToWrite): Promise<OutboxRecord> {
  try {
    // An earlier holder may have handed it over and died before marking it written.
    const recorded = (await deps.outbox.get(document.id)) ?? (await document.send(await document.write()));
    await deps.claims.markWritten(document.id, deps.clock.now());
    return recorded;
  } catch (error) {
    // Releasing only saves the wait for the lease to lapse; the writer's error is the one to report.
    await deps.claims.release(document.id).catch(() => undefined);
    throw error;
  }
}
