import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { tableDefinition as t } from '../core/table-definition';
import type { DigestRecord, DigestStore, TimeWindowRead } from '../ports/digest-store';
import type { ClaimResult } from '../ports/store';
import { claimLease } from './dynamo-lease';
import { emptyWindowRead, readBucket, type TableAccess } from './dynamo-records';

/** `DIGEST#<period>` / `DIGEST` (each digest written) and `DIGEST#LAST` / `POINTER` (where the next window starts). */
export const DIGEST_KEY_PREFIXES = ['DIGEST#*'] as const;

const LAST_DIGEST_KEY = { [t.partitionKey]: 'DIGEST#LAST', [t.sortKey]: 'POINTER' };
/** The digest written last, scheduled or manual (what a question about "the latest digest" reads). */
const LATEST_DIGEST_KEY = { [t.partitionKey]: 'DIGEST#LATEST', [t.sortKey]: 'POINTER' };

export class DynamoDigests implements DigestStore {
  constructor(private readonly table: TableAccess) {}

  async readTimeWindow(from: Date, to: Date): Promise<TimeWindowRead> {
    const read = emptyWindowRead();
    // One partition per UTC day; the sort key (`<instant>#<id>`) bounds each query to the window,
    // so records outside it are never read, however many there are.
    for (let day = startOfUtcDay(from); day < to; day = new Date(day.getTime() + 86_400_000)) {
      await readBucket(this.table, `DAY#${day.toISOString().slice(0, 10)}`, from, to, read);
    }
    return read;
  }

  async lastDigest(): Promise<{ id: string; to: string } | undefined> {
    const result = await this.table.db.send(new GetCommand({ TableName: this.table.tableName, Key: LAST_DIGEST_KEY, ConsistentRead: true }));
    return result.Item ? { id: String(result.Item.id), to: String(result.Item.to) } : undefined;
  }

  async latestDigest(): Promise<{ id: string; to: string } | undefined> {
    const result = await this.table.db.send(new GetCommand({ TableName: this.table.tableName, Key: LATEST_DIGEST_KEY, ConsistentRead: true }));
    return result.Item ? { id: String(result.Item.id), to: String(result.Item.to) } : undefined;
  }

  claimDigest(id: string, now: Date, leaseMs: number): Promise<ClaimResult> {
    return claimLease(this.table.db, { tableName: this.table.tableName, key: digestKey(id), doneAttribute: 'record', now, leaseMs, mustExist: false });
  }

  async getDigest(id: string): Promise<DigestRecord | undefined> {
    const result = await this.table.db.send(new GetCommand({ TableName: this.table.tableName, Key: digestKey(id), ConsistentRead: true }));
    return result.Item?.record as DigestRecord | undefined;
  }

  async saveDigest(record: DigestRecord, movesWindow: boolean): Promise<void> {
    await this.table.db.send(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: digestKey(record.id),
        UpdateExpression: 'SET #record = :record REMOVE claimedUntil',
        ExpressionAttributeNames: { '#record': 'record' },
        ExpressionAttributeValues: { ':record': record },
      }),
    );
    await this.movePointer(LATEST_DIGEST_KEY, record);
    if (!movesWindow) return;
    await this.movePointer(LAST_DIGEST_KEY, record);
  }

  /** Points `key` at this digest unless it already points at a later one. */
  private async movePointer(key: Record<string, string>, record: DigestRecord): Promise<void> {
    try {
      await this.table.db.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: key,
          UpdateExpression: 'SET id = :id, #to = :to',
          ConditionExpression: 'attribute_not_exists(#to) OR #to <= :to',
          ExpressionAttributeNames: { '#to': 'to' },
          ExpressionAttributeValues: { ':id': record.id, ':to': record.period.to },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}

function digestKey(id: string): Record<string, string> {
  return { [t.partitionKey]: `DIGEST#${id}`, [t.sortKey]: 'DIGEST' };
}

function startOfUtcDay(instant: Date): Date {
  return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()));
}
