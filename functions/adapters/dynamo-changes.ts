import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CanonicalEvent } from '../core/canonical-event';
import { tableDefinition as t } from '../core/table-definition';
import type { ChangeStore } from '../ports/change-store';
import type { TimeWindowRead } from '../ports/digest-store';
import { changeBucket, changeIndexAttributes, epochSeconds } from './dynamo-keys';
import { emptyWindowRead, readBucket, type TableAccess, timelineSk } from './dynamo-records';

/**
 * `CHANGE#<source>#<kind>#<id>` / `EVENT#<instant>#<eventId>`: one deployment status or merged pull request (DORA),
 * on `byTime` in a monthly `CHANGES#YYYY-MM` bucket.
 */
export const CHANGE_KEY_PREFIXES = ['CHANGE#*'] as const;

export class DynamoChanges implements ChangeStore {
  constructor(private readonly table: TableAccess) {}

  async recordChangeEvent(event: CanonicalEvent, expiresAt: Date): Promise<void> {
    try {
      await this.table.db.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: {
            [t.partitionKey]: `CHANGE#${event.source}#${event.subject.kind}#${event.subject.id}`,
            [t.sortKey]: timelineSk(event),
            ...changeIndexAttributes(event.occurredAt, event.id),
            kind: 'change-event',
            type: event.type,
            event,
            [t.ttlAttribute]: epochSeconds(expiresAt),
          },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': t.partitionKey },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async readChangeWindow(from: Date, to: Date): Promise<TimeWindowRead> {
    const read = emptyWindowRead();
    // One bucket per UTC month, each query bounded to the window by the sort key.
    for (let month = startOfUtcMonth(from); month < to; month = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1))) {
      await readBucket(this.table, changeBucket(month), from, to, read);
    }
    return read;
  }
}

function startOfUtcMonth(instant: Date): Date {
  return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), 1));
}
