import type { Outbox, OutboxRecord, OutgoingDocument } from '../../functions/ports/outbox';

/** An in-memory Outbox for unit tests of one worker: keeps the first document per id, as the contract says. */
export class MemoryOutbox implements Outbox {
  readonly records = new Map<string, OutboxRecord>();
  /** Every revise call, in order. */
  readonly revisions: { id: string; text: string }[] = [];

  async send(document: OutgoingDocument): Promise<OutboxRecord> {
    const existing = this.records.get(document.id);
    if (existing) return existing;
    const record: OutboxRecord = { ...document, state: 'pending', attempts: 0, createdAt: new Date().toISOString() };
    this.records.set(document.id, record);
    return record;
  }

  async revise(id: string, content: Pick<OutgoingDocument, 'text' | 'blocks' | 'document'>): Promise<void> {
    const existing = this.records.get(id);
    if (!existing) throw new Error(`No outbox document ${id}`);
    Object.assign(existing, content);
    this.revisions.push({ id, text: content.text });
  }

  async get(id: string): Promise<OutboxRecord | undefined> {
    return this.records.get(id);
  }

  inChannel(channel: string): OutboxRecord[] {
    return [...this.records.values()].filter((record) => record.channel === channel);
  }
}
