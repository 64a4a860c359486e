import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CanonicalEvent } from '../core/canonical-event';
import { candidateKeyOf } from '../core/retention';
import { tableDefinition as t } from '../core/table-definition';
import type { BusJournal, UnfinishedEvent } from '../ports/bus-journal';
import { asStoreError } from './dynamo-errors';
import { candidateAttribute, epochSeconds, queryAll } from './dynamo-keys';

/** Partition of the local bus's journal: one item per accepted event with routes still to finish. */
export const BUS_JOURNAL_PK = 'BUSJOURNAL';
/** An event still unfinished after this long is dropped: as long as a failure queue keeps a message in AWS. */
const JOURNAL_RETENTION_DAYS = 14;

/**
 * The bus journal in the single table: `BUSJOURNAL` / `<occurredAt>#<source>#<event id>`,
 * with the event and the string set of route ids still to finish. One put per event on the
 * publish path; each finished route removes itself from the set, and the last one deletes
 * the item, so the journal holds only unfinished work.
 */
export class DynamoBusJournal implements BusJournal {
  private readonly acceptDb: DynamoDBDocumentClient;
  private readonly now: () => Date;

  /**
   * `acceptDb` (default `db`) writes on the publish path: a client with tight timeouts there
   * turns a stopped DynamoDB into a quick 503; the records of finished work, off that path,
   * are better written by a patient client, since a timed-out write may still be applied.
   */
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: { acceptDb?: DynamoDBDocumentClient; now?: () => Date } = {},
  ) {
    this.acceptDb = options.acceptDb ?? db;
    this.now = options.now ?? (() => new Date());
  }

  async accepted(deliveries: readonly { event: CanonicalEvent; routeIds: readonly string[] }[]): Promise<void> {
    const acceptedAt = this.now();
    const expiresAt = epochSeconds(new Date(acceptedAt.getTime() + JOURNAL_RETENTION_DAYS * 86_400_000));
    try {
      await Promise.all(
        deliveries
          .filter((delivery) => delivery.routeIds.length > 0)
          .map(({ event, routeIds }) =>
            this.acceptDb.send(
              new PutCommand({
                TableName: this.tableName,
                // A republished event is pending again for every route: its workers drop what they have seen.
                Item: {
                  ...journalKey(event),
                  event,
                  routes: new Set(routeIds),
                  acceptedAt: acceptedAt.toISOString(),
                  [t.ttlAttribute]: expiresAt,
                  ...candidateAttribute(candidateKeyOf(event)),
                },
              }),
            ),
          ),
      );
    } catch (error) {
      throw asStoreError(error);
    }
  }

  async finished(event: CanonicalEvent, routeId: string): Promise<void> {
    const result = await this.db
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: journalKey(event),
          UpdateExpression: 'DELETE #routes :route',
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#routes': 'routes', '#pk': t.partitionKey },
          ExpressionAttributeValues: { ':route': new Set([routeId]) },
          ReturnValues: 'ALL_NEW',
        }),
      )
      .catch((error: unknown) => {
        if (error instanceof ConditionalCheckFailedException) return undefined; // already gone
        throw error;
      });
    const left = result?.Attributes?.routes as Set<string> | undefined;
    if (!result || (left && left.size > 0)) return;
    // DynamoDB drops a set emptied by DELETE; the condition spares a record republished meanwhile.
    await this.db
      .send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: journalKey(event),
          ConditionExpression: 'attribute_not_exists(#routes)',
          ExpressionAttributeNames: { '#routes': 'routes' },
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  }

  async deadLettered(event: CanonicalEvent, routeId: string, error: string): Promise<void> {
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: journalKey(event),
          UpdateExpression: 'SET #error = :error, #at = :at',
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#error': 'deadLetterError', '#at': 'deadLetteredAt', '#pk': t.partitionKey },
          ExpressionAttributeValues: { ':error': `${routeId}: ${error}`.slice(0, 1000), ':at': this.now().toISOString() },
        }),
      )
      .catch((failure: unknown) => {
        if (!(failure instanceof ConditionalCheckFailedException)) throw failure;
      });
  }

  async unfinished(): Promise<UnfinishedEvent[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': t.partitionKey },
      ExpressionAttributeValues: { ':pk': BUS_JOURNAL_PK },
      ConsistentRead: true,
    });
    const done = items.filter((item) => !(item.routes instanceof Set) || item.routes.size === 0);
    // Every route finished but the record outlived it (its delete failed): tidy up, or let the TTL do it.
    await Promise.all(
      done.map((item) =>
        this.db
          .send(
            new DeleteCommand({
              TableName: this.tableName,
              Key: { [t.partitionKey]: item[t.partitionKey], [t.sortKey]: item[t.sortKey] },
              ConditionExpression: 'attribute_not_exists(#routes)',
              ExpressionAttributeNames: { '#routes': 'routes' },
            }),
          )
          .catch(() => undefined),
      ),
    );
    return items
      .filter((item) => !done.includes(item))
      .map((item) => ({
        event: item.event as CanonicalEvent,
        routeIds: [...(item.routes as Set<string>)].sort(),
        ...(typeof item.deadLetterError === 'string' ? { deadLetterError: item.deadLetterError } : {}),
      }));
  }
}

/** Sorted by occurrence, so a query reads the journal in the order events happened. */
function journalKey(event: CanonicalEvent): Record<string, string> {
  return { [t.partitionKey]: BUS_JOURNAL_PK, [t.sortKey]: `${new Date(event.occurredAt).toISOString()}#${event.source}#${event.id}` };
}
