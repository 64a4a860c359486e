import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { CanonicalEvent } from '../core/canonical-event';
import { candidateKeyOf } from '../core/retention';
import { tableDefinition as t } from '../core/table-definition';
import type { Enrich, HiringStore, IssueStore } from '../ports/store';
import { candidateAttribute, epochSeconds, timeIndexAttributes } from './dynamo-keys';
import { deliveryKey, readPartition, type TableAccess, timelineSk } from './dynamo-records';

/** `APPLICATION#<source>:<id>` / `EVENT#<instant>#<eventId>`: one applicant-tracking event, on `byTime`. */
export const APPLICATION_KEY_PREFIXES = ['APPLICATION#*'] as const;
/** `ISSUE#<issueId>` / `EVENT#<instant>#<eventId>`: one Jira transition (cycle time); completions and deployments also on `byTime`. */
export const ISSUE_KEY_PREFIXES = ['ISSUE#*'] as const;

interface HistoryItem extends Record<string, unknown> {
  event: CanonicalEvent;
  candidateKey?: string;
}

/** Per-subject event histories: applications (hiring) and Jira issues. */
export class DynamoHistories implements HiringStore, IssueStore {
  constructor(private readonly table: TableAccess) {}

  async recordApplicationEvent(event: CanonicalEvent, expiresAt: Date, enrich: Enrich = (e) => e): Promise<CanonicalEvent> {
    const pk = applicationPk(event.subject.id);
    const history = (await readPartition(this.table, pk)) as HistoryItem[];
    // An offer delivery may carry only the application id: the history knows the candidate.
    const candidateKey = candidateKeyOf(event) ?? history.find((item) => item.candidateKey)?.candidateKey;
    const { recorded, added } = await this.recordOnHistory(pk, 'application-event', event, history, expiresAt, enrich, candidateKey);
    if (candidateKey) {
      // Whatever was recorded before the candidate id was known is tagged now, with its delivery
      // record, so an erasure finds it; so is this event's delivery if it did not name the candidate.
      for (const item of history.filter((entry) => !entry.candidateKey)) {
        await this.tagWithCandidate(
          candidateKey,
          { [t.partitionKey]: pk, [t.sortKey]: timelineSk(item.event) },
          deliveryKey(item.event.source, item.event.deliveryId),
        );
      }
      if (added && !candidateKeyOf(event)) await this.tagWithCandidate(candidateKey, deliveryKey(event.source, event.deliveryId));
    }
    return recorded;
  }

  async recordIssueEvent(
    event: CanonicalEvent,
    expiresAt: Date,
    enrich: Enrich = (e) => e,
    readByTime: (recorded: CanonicalEvent) => boolean = () => true,
  ): Promise<CanonicalEvent> {
    const pk = `ISSUE#${event.subject.id}`;
    const history = (await readPartition(this.table, pk)) as HistoryItem[];
    return (await this.recordOnHistory(pk, 'issue-event', event, history, expiresAt, enrich, undefined, readByTime)).recorded;
  }

  /**
   * Adds an event to a per-subject history partition (a repeated event id is a no-op), after
   * `enrich` has derived facts from the events recorded before it; the record goes on `byTime`
   * unless `readByTime` says no reader looks for it there (an index entry costs a write of its own).
   */
  private async recordOnHistory(
    pk: string,
    kind: string,
    event: CanonicalEvent,
    history: HistoryItem[],
    expiresAt: Date,
    enrich: Enrich,
    candidateKey: string | undefined,
    readByTime: (recorded: CanonicalEvent) => boolean = () => true,
  ): Promise<{ recorded: CanonicalEvent; added: boolean }> {
    const already = history.find((item) => item.event.id === event.id);
    if (already) return { recorded: already.event, added: false };
    const sk = timelineSk(event);
    const earlier = history.filter((item) => String(item[t.sortKey]) < sk).map((item) => item.event);
    const recorded = enrich(event, earlier);
    try {
      await this.table.db.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: {
            [t.partitionKey]: pk,
            [t.sortKey]: sk,
            ...(readByTime(recorded) ? timeIndexAttributes(event.occurredAt, event.id) : {}),
            ...candidateAttribute(candidateKey),
            kind,
            type: event.type,
            event: recorded,
            [t.ttlAttribute]: epochSeconds(expiresAt),
          },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': t.partitionKey },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    return { recorded, added: true };
  }

  /** Adds the candidate key to existing records; one that has expired meanwhile is skipped. */
  private async tagWithCandidate(candidateKey: string, ...keys: Record<string, string>[]): Promise<void> {
    for (const Key of keys) {
      try {
        await this.table.db.send(
          new UpdateCommand({
            TableName: this.table.tableName,
            Key,
            UpdateExpression: 'SET #ck = :ck',
            ConditionExpression: 'attribute_exists(#pk)',
            ExpressionAttributeNames: { '#ck': t.candidateIndex.partitionKey, '#pk': t.partitionKey },
            ExpressionAttributeValues: { ':ck': candidateKey },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
  }
}

function applicationPk(subjectId: string): string {
  return `APPLICATION#${subjectId}`;
}
