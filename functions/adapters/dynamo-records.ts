import type { DynamoDBDocumentClient, QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CanonicalEvent } from '../core/canonical-event';
import { tableDefinition as t } from '../core/table-definition';
import type { TimeWindowRead } from '../ports/digest-store';
import { queryAll } from './dynamo-keys';

/** Where the per-aggregate adapters (deliveries, incidents, histories, ...) meet: one table, its client. */
export interface TableAccess {
  readonly db: DynamoDBDocumentClient;
  readonly tableName: string;
}

/** Sorts by the instant the source gives (normalised to UTC), then by event id for ties. */
export function timelineSk(event: CanonicalEvent): string {
  return `EVENT#${new Date(event.occurredAt).toISOString()}#${event.id}`;
}

/** The delivery record's key: histories tag it with the candidate, so it is shared. */
export function deliveryKey(source: string, deliveryId: string): Record<string, string> {
  return { [t.partitionKey]: `DELIVERY#${source}#${deliveryId}`, [t.sortKey]: 'DELIVERY' };
}

/** Every item of a table query, across pages. */
export function queryTable(table: TableAccess, input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Record<string, unknown>[]> {
  return queryAll(table.db, { ...input, TableName: table.tableName });
}

/** Every item of one partition in sort-key order, read consistently; `projection` may name `#pk` and `#sk`. */
export function readPartition(table: TableAccess, pk: string, projection?: string): Promise<Record<string, unknown>[]> {
  return queryTable(table, {
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': t.partitionKey, ...(projection ? { '#sk': t.sortKey } : {}) },
    ExpressionAttributeValues: { ':pk': pk },
    ...(projection ? { ProjectionExpression: projection } : {}),
    ConsistentRead: true,
  });
}

/** An empty read, to which `readBucket` adds. */
export function emptyWindowRead(): TimeWindowRead {
  return { items: [], itemsRead: 0, consumedCapacity: 0, queries: 0 };
}

/** Adds the items of one `byTime` bucket with an instant in [from, to) to `read`, counting what it cost. */
export async function readBucket(table: TableAccess, bucket: string, from: Date, to: Date, read: TimeWindowRead): Promise<void> {
  if (to <= from) return;
  const items = await queryAll(
    table.db,
    {
      TableName: table.tableName,
      IndexName: t.timeIndex.name,
      KeyConditionExpression: '#bucket = :bucket AND #at BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#bucket': t.timeIndex.partitionKey, '#at': t.timeIndex.sortKey },
      ExpressionAttributeValues: { ':bucket': bucket, ':from': from.toISOString(), ':to': to.toISOString() },
      ReturnConsumedCapacity: 'TOTAL',
    },
    (page) => {
      read.queries += 1;
      read.itemsRead += page.ScannedCount ?? page.Count ?? 0;
      read.consumedCapacity += page.ConsumedCapacity?.CapacityUnits ?? 0;
    },
  );
  read.items.push(...items);
}

/** Cuts a string to at most `limit` UTF-8 bytes without splitting a character. */
export function truncateUtf8(text: string, limit: number): { text: string; truncated: boolean } {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= limit) return { text, truncated: false };
  // Decoding a cut buffer may end in a replacement character; drop it.
  return {
    text: bytes
      .subarray(0, limit)
      .toString('utf8')
      .replace(/\uFFFD$/, ''),
    truncated: true,
  };
}
