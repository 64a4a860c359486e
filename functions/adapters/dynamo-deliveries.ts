import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { candidateKeyOf } from '../core/retention';
import { tableDefinition as t } from '../core/table-definition';
import type { DeliveryRecord, DeliveryState, DeliveryStore } from '../ports/store';
import { asStoreError } from './dynamo-errors';
import { candidateAttribute, epochSeconds } from './dynamo-keys';
import { deliveryKey, type TableAccess, truncateUtf8 } from './dynamo-records';

/** `DELIVERY#<source>#<deliveryId>` / `DELIVERY`: one webhook delivery, for de-duplication. */
export const DELIVERY_KEY_PREFIXES = ['DELIVERY#*'] as const;

/** Raw bodies, when kept, are trimmed so an item stays far below DynamoDB's 400 KB. */
const RAW_BODY_LIMIT = 64 * 1024;

/**
 * The delivery item: what de-duplication and erasure need (key, state, candidate key, expiry)
 * and the ids of the events it became, a few hundred bytes, so the put costs one write unit.
 * The raw body is added only when the caller keeps it (see `DeliveryRecord.rawBody`).
 */
export function deliveryItem(record: DeliveryRecord): Record<string, unknown> {
  const raw = record.rawBody === undefined ? undefined : truncateUtf8(record.rawBody, RAW_BODY_LIMIT);
  return {
    ...deliveryKey(record.source, record.deliveryId),
    state: 'received',
    source: record.source,
    deliveryId: record.deliveryId,
    eventIds: record.events.map((event) => event.id),
    ...(raw ? { rawBody: raw.text, rawBodyTruncated: raw.truncated } : {}),
    receivedAt: record.receivedAt.toISOString(),
    [t.ttlAttribute]: epochSeconds(record.expiresAt),
    ...candidateAttribute(record.events.map(candidateKeyOf).find(Boolean)),
  };
}

export class DynamoDeliveries implements DeliveryStore {
  constructor(private readonly table: TableAccess) {}

  async recordDelivery(record: DeliveryRecord): Promise<DeliveryState> {
    try {
      await this.table.db.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: deliveryItem(record),
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': t.partitionKey },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'new';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        return error.Item?.state?.S === 'published' ? 'published' : 'unconfirmed';
      }
      throw asStoreError(error);
    }
  }

  async markDeliveryPublished(source: string, deliveryId: string): Promise<void> {
    try {
      await this.table.db.send(
        new UpdateCommand({
          TableName: this.table.tableName,
          Key: deliveryKey(source, deliveryId),
          UpdateExpression: 'SET #state = :published',
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#state': 'state', '#pk': t.partitionKey },
          ExpressionAttributeValues: { ':published': 'published' },
        }),
      );
    } catch (error) {
      throw asStoreError(error);
    }
  }
}
