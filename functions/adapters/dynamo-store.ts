import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CanonicalEvent } from '../core/canonical-event';
import { tableDefinition as t } from '../core/table-definition';
import type {
  ClaimResult,
  DeliveryRecord,
  DeliveryState,
  DeliveryStore,
  IncidentRecord,
  IncidentStore,
  PostedDocument,
  PostTarget,
  TimelineEntry,
} from '../ports/store';

const DAY_SECONDS = 86_400;
/** Senders retry for up to 48 h (PagerDuty); a month of delivery ids is ample for de-duplication. */
const DELIVERY_TTL_SECONDS = 30 * DAY_SECONDS;
/** Raw bodies are kept for audit, trimmed so an item stays far below DynamoDB's 400 KB. */
const RAW_BODY_LIMIT = 64 * 1024;

/**
 * Key design (one table, see docs/adr/0002-single-table.md):
 * - `DELIVERY#<source>#<deliveryId>` / `DELIVERY`         webhook delivery, de-duplication
 * - `INCIDENT#<source>#<id>` / `BRIEF`                     the top-level brief and its lease
 * - `INCIDENT#<source>#<id>` / `EVENT#<instant>#<eventId>` timeline entry + its thread reply;
 *    indexed by day on `byTime` for time-window reads
 */
export class DynamoStore implements DeliveryStore, IncidentStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async recordDelivery(record: DeliveryRecord): Promise<DeliveryState> {
    const raw = truncateUtf8(record.rawBody, RAW_BODY_LIMIT);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            [t.partitionKey]: `DELIVERY#${record.source}#${record.deliveryId}`,
            [t.sortKey]: 'DELIVERY',
            state: 'unpublished',
            source: record.source,
            deliveryId: record.deliveryId,
            events: record.events,
            rawBody: raw.text,
            rawBodyTruncated: raw.truncated,
            receivedAt: record.receivedAt.toISOString(),
            [t.ttlAttribute]: Math.floor(record.receivedAt.getTime() / 1000) + DELIVERY_TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': t.partitionKey },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'new';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        return error.Item?.state?.S === 'published' ? 'published' : 'unpublished';
      }
      throw error;
    }
  }

  async markDeliveryPublished(source: string, deliveryId: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { [t.partitionKey]: `DELIVERY#${source}#${deliveryId}`, [t.sortKey]: 'DELIVERY' },
        UpdateExpression: 'SET #state = :published',
        ConditionExpression: 'attribute_exists(#pk)',
        ExpressionAttributeNames: { '#state': 'state', '#pk': t.partitionKey },
        ExpressionAttributeValues: { ':published': 'published' },
      }),
    );
  }

  async appendIncidentEvent(incidentKey: string, event: CanonicalEvent): Promise<void> {
    const instant = new Date(event.occurredAt).toISOString();
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            [t.partitionKey]: incidentPk(incidentKey),
            [t.sortKey]: timelineSk(event),
            [t.timeIndex.partitionKey]: `DAY#${instant.slice(0, 10)}`,
            [t.timeIndex.sortKey]: `${instant}#${event.id}`,
            kind: 'incident-event',
            type: event.type,
            event,
          },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': t.partitionKey },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async loadIncident(incidentKey: string): Promise<IncidentRecord> {
    const record: IncidentRecord = { timeline: [] };
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': t.partitionKey },
          ExpressionAttributeValues: { ':pk': incidentPk(incidentKey) },
          ExclusiveStartKey: startKey,
          ConsistentRead: true,
        }),
      );
      for (const item of page.Items ?? []) {
        if (item[t.sortKey] === 'BRIEF') {
          if (item.post) record.brief = item.post as PostedDocument;
        } else {
          record.timeline.push({ event: item.event, post: item.post } as TimelineEntry);
        }
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return record;
  }

  async claimPost(incidentKey: string, target: PostTarget, now: Date, leaseMs: number): Promise<ClaimResult> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.postKey(incidentKey, target),
          UpdateExpression: 'SET claimedUntil = :until',
          // Free when never posted and either never claimed or the previous lease lapsed
          // (a worker that died mid-post). For replies the timeline item must already exist.
          ConditionExpression: `${target.kind === 'reply' ? 'attribute_exists(#pk) AND ' : ''}attribute_not_exists(post) AND (attribute_not_exists(claimedUntil) OR claimedUntil < :now)`,
          ...(target.kind === 'reply' ? { ExpressionAttributeNames: { '#pk': t.partitionKey } } : {}),
          ExpressionAttributeValues: { ':until': now.getTime() + leaseMs, ':now': now.getTime() },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'claimed';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        return error.Item?.post ? 'already-posted' : 'held-by-another';
      }
      throw error;
    }
  }

  async savePost(incidentKey: string, target: PostTarget, posted: PostedDocument): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: this.postKey(incidentKey, target),
        UpdateExpression: 'SET post = :post REMOVE claimedUntil',
        ExpressionAttributeValues: { ':post': posted },
      }),
    );
  }

  private postKey(incidentKey: string, target: PostTarget): Record<string, string> {
    return {
      [t.partitionKey]: incidentPk(incidentKey),
      [t.sortKey]: target.kind === 'brief' ? 'BRIEF' : timelineSk(target.event),
    };
  }
}

function incidentPk(incidentKey: string): string {
  return `INCIDENT#${incidentKey}`;
}

/** Sorts by the instant the source gives (normalised to UTC), then by event id for ties. */
function timelineSk(event: CanonicalEvent): string {
  return `EVENT#${new Date(event.occurredAt).toISOString()}#${event.id}`;
}

/** Cuts a string to at most `limit` UTF-8 bytes without splitting a character. */
export function truncateUtf8(text: string, limit: number): { text: string; truncated: boolean } {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= limit) return { text, truncated: false };
  // Decoding a cut buffer may end in a replacement character; drop it.
  return { text: bytes.subarray(0, limit).toString('utf8').replace(/\uFFFD$/, ''), truncated: true };
}
