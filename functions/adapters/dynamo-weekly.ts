import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { tableDefinition as t } from '../core/table-definition';
import type { WeeklyRecord, WeeklyStore } from '../ports/weekly-store';
import { claimLease } from './dynamo-lease';

/** Partition keys the weekly update writes (the IAM grant in lib/ is limited to them). */
export const WEEKLY_KEY_PREFIXES = ['WEEKLY#*'] as const;

const LATEST_KEY = { [t.partitionKey]: 'WEEKLY#LATEST', [t.sortKey]: 'POINTER' };
const weeklyKey = (id: string) => ({ [t.partitionKey]: `WEEKLY#${id}`, [t.sortKey]: 'WEEKLY' });

/**
 * Weekly updates in DynamoDB:
 * - `WEEKLY#<id>` / `WEEKLY`         one update (lease while it is written, then the record)
 * - `WEEKLY#LATEST` / `POINTER`      the id of the latest update written (never moved back)
 */
export class DynamoWeeklyStore implements WeeklyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  claimWeekly(id: string, now: Date, leaseMs: number) {
    return claimLease(this.db, { tableName: this.tableName, key: weeklyKey(id), doneAttribute: 'record', now, leaseMs, mustExist: false });
  }

  async getWeekly(id: string): Promise<WeeklyRecord | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: weeklyKey(id), ConsistentRead: true }));
    return result.Item?.record as WeeklyRecord | undefined;
  }

  async saveWeekly(record: WeeklyRecord): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: weeklyKey(record.id),
        UpdateExpression: 'SET #record = :record REMOVE claimedUntil',
        ExpressionAttributeNames: { '#record': 'record' },
        ExpressionAttributeValues: { ':record': record },
      }),
    );
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: LATEST_KEY,
          UpdateExpression: 'SET id = :id, writtenAt = :at',
          ConditionExpression: 'attribute_not_exists(writtenAt) OR writtenAt <= :at',
          ExpressionAttributeValues: { ':id': record.id, ':at': record.writtenAt },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async latestWeekly(): Promise<WeeklyRecord | undefined> {
    const pointer = await this.db.send(new GetCommand({ TableName: this.tableName, Key: LATEST_KEY, ConsistentRead: true }));
    return pointer.Item?.id ? this.getWeekly(String(pointer.Item.id)) : undefined;
  }
}
