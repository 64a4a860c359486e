import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { tableDefinition as t } from '../core/table-definition';
import type { Clock } from '../ports/clock';
import type { TimerHost, TimerPayload, Timers } from '../ports/timers';
import { queryAll } from './dynamo-keys';

/** Every pending local timer sits in this partition, so a restart reads them back in one query. */
const TIMERS_PK = 'TIMERS#PENDING';
/** setTimeout's limit (about 24.8 days); a longer wait is re-armed on waking. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export type Fire = (payload: TimerPayload) => Promise<void>;

export interface LocalTimersOptions {
  host: TimerHost;
  clock: Clock;
  log?: (message: string, detail: Record<string, unknown>) => void;
  /** Waits before retrying a fire that threw; after the last the record stays for the next start. */
  retryDelaysMs?: number[];
}

/**
 * Timers for the local runtime with Scheduler's semantics: each is a DynamoDB record with its
 * due time (so a restart loses none) armed as an in-process timer. `restore()` re-arms every
 * record when the runtime starts; one that fell due while it was down fires at once. A fired
 * timer's record is deleted after its handler succeeds, unless it was rescheduled meanwhile.
 */
export class LocalTimers implements Timers {
  private readonly armed = new Map<string, unknown>();
  private readonly running = new Set<Promise<void>>();
  private fire: Fire = async () => {};
  private stopped = false;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: LocalTimersOptions,
  ) {}

  /** What a due timer calls; set after construction, since the worker it calls needs these timers. */
  onFire(fire: Fire): void {
    this.fire = fire;
  }

  async schedule(id: string, dueAt: Date, payload: TimerPayload): Promise<void> {
    const due = dueAt.toISOString();
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { [t.partitionKey]: TIMERS_PK, [t.sortKey]: id, kind: 'timer', dueAt: due, payload } }),
    );
    this.arm(id, due, payload, Date.parse(due), 0);
  }

  async cancel(id: string): Promise<void> {
    this.disarm(id);
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { [t.partitionKey]: TIMERS_PK, [t.sortKey]: id } }));
  }

  /** Arms every pending record (call once when the runtime starts); returns how many. */
  async restore(): Promise<number> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': t.partitionKey },
      ExpressionAttributeValues: { ':pk': TIMERS_PK },
      ConsistentRead: true,
    });
    for (const item of items) {
      const { dueAt, payload } = item as { dueAt: string; payload: TimerPayload };
      this.arm(String(item[t.sortKey]), dueAt, payload, Date.parse(dueAt), 0);
    }
    return items.length;
  }

  /** Timers armed now, by id (for tests and the startup log). */
  pending(): string[] {
    return [...this.armed.keys()];
  }

  /** Resolves once every fire started so far has finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** Disarms everything; records stay for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const id of [...this.armed.keys()]) this.disarm(id);
    await this.idle();
  }

  private arm(id: string, dueAt: string, payload: TimerPayload, fireAtMs: number, attempt: number): void {
    if (this.stopped) return;
    this.disarm(id);
    const delay = Math.max(0, fireAtMs - this.options.clock.now().getTime());
    const handle = this.options.host.setTimeout(
      () => {
        this.armed.delete(id);
        if (delay > MAX_DELAY_MS) this.arm(id, dueAt, payload, fireAtMs, attempt);
        else this.run(id, dueAt, payload, attempt);
      },
      Math.min(delay, MAX_DELAY_MS),
    );
    this.armed.set(id, handle);
  }

  private disarm(id: string): void {
    const handle = this.armed.get(id);
    if (handle === undefined) return;
    this.options.host.clearTimeout(handle);
    this.armed.delete(id);
  }

  private run(id: string, dueAt: string, payload: TimerPayload, attempt: number): void {
    const work = (async () => {
      try {
        await this.fire(payload);
        await this.removeIfUnchanged(id, dueAt);
      } catch (error) {
        const delay = (this.options.retryDelaysMs ?? [1000, 5000, 30_000])[attempt];
        this.options.log?.('timer fire failed', { id, attempt, error: error instanceof Error ? error.message : String(error), retryInMs: delay ?? null });
        if (delay !== undefined) this.arm(id, dueAt, payload, this.options.clock.now().getTime() + delay, attempt + 1);
      }
    })();
    const tracked = work.finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }

  /** Deletes the fired record unless `schedule` moved it to another time in the meantime. */
  private async removeIfUnchanged(id: string, dueAt: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { [t.partitionKey]: TIMERS_PK, [t.sortKey]: id },
          ConditionExpression: 'dueAt = :due',
          ExpressionAttributeValues: { ':due': dueAt },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
