import type { KnownBlock } from '../ports/chat';
import type { Outbox, OutboxRecord, OutgoingDocument } from '../ports/outbox';
import type { WrittenDocument } from '../ports/writer';
import type { Log, OutboxDelivery, OutboxTiming } from './delivery';
import { assertDocumentId } from '../core/document-id';
import type { OutboxStore, StoredOutboxRecord } from './outbox-store';
import { urgencyOf } from './urgency';

/** How long a worker's call waits for its channel's pace before leaving the post to the sweeper. */
const WORKER_MAX_WAIT_MS = 1_500;
/** Records are kept this long (DynamoDB TTL) unless the document says otherwise (hiring retention). */
const DEFAULT_RETENTION_DAYS = 180;

/**
 * The outbox every worker posts through: record first, then one delivery attempt in the
 * worker's own call. A Slack failure never reaches the worker; only a failure to write the
 * record does (so its event is retried and nothing is lost).
 */
export class DeliveringOutbox implements Outbox {
  constructor(
    private readonly store: OutboxStore,
    private readonly delivery: OutboxDelivery,
    private readonly timing: OutboxTiming,
    private readonly log: Log,
  ) {}

  async send(document: OutgoingDocument): Promise<OutboxRecord> {
    assertDocumentId(document.id);
    if (document.parentId) assertDocumentId(document.parentId);
    const now = this.timing.now();
    const { expiresAt, candidateKey, order, ...content } = document;
    const { record } = await this.store.create({
      ...content,
      ...(candidateKey ? { candidateKey } : {}),
      ...(order !== undefined ? { contentOrder: order } : {}),
      urgency: urgencyOf(document),
      state: 'pending',
      attempts: 0,
      revision: 0,
      createdAt: now.toISOString(),
      expiresAt: expiresAt ?? new Date(now.getTime() + DEFAULT_RETENTION_DAYS * 86_400_000),
    });
    // A repeated send (a retried event) is also a nudge to deliver a record still pending.
    return view((await this.tryDelivering(record.id, record)) ?? record);
  }

  async revise(id: string, content: { text: string; blocks: KnownBlock[]; document?: WrittenDocument; order?: number }): Promise<void> {
    const revised = await this.store.revise(id, content, this.timing.now());
    if (!revised) {
      // Expired (TTL) or never written: nothing to show it on, and retrying the event will not help.
      this.log('outbox revise of an unknown document ignored', { id });
      return;
    }
    if (revised.state === 'delivered' && revised.dueAt) await this.tryDelivering(id, revised);
  }

  async get(id: string): Promise<OutboxRecord | undefined> {
    const record = await this.store.get(id);
    return record ? view(record) : undefined;
  }

  /** One delivery attempt now; whatever goes wrong is the sweeper's to finish. */
  private async tryDelivering(id: string, known: StoredOutboxRecord): Promise<StoredOutboxRecord | undefined> {
    try {
      return await this.delivery.deliver(id, { maxWaitMs: WORKER_MAX_WAIT_MS, known, behindBacklog: true });
    } catch (error) {
      this.log('outbox delivery attempt failed; left for the sweeper', { id, error: error instanceof Error ? error.message : String(error) });
      return undefined;
    }
  }
}

/** The port's view of a stored record (without the delivery bookkeeping). */
export function view(record: StoredOutboxRecord): OutboxRecord {
  const {
    revision: _r,
    shownRevision: _s,
    inFlightUntil: _i,
    uncertainSince: _u,
    uncertainRevision: _ur,
    revisedAt: _ra,
    contentOrder: _co,
    candidateKey: _c,
    dueAt: _d,
    expiresAtEpoch: _e,
    ...rest
  } = record;
  return rest;
}
