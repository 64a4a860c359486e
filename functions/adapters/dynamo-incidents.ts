import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CanonicalEvent } from '../core/canonical-event';
import { tableDefinition as t } from '../core/table-definition';
import type { IncidentBrief, IncidentRecord, IncidentStore, OpenIncident, TimelineEntry } from '../ports/store';
import { timeIndexAttributes } from './dynamo-keys';
import { readPartition, type TableAccess, timelineSk } from './dynamo-records';

/** One item per open incident: "open now" is one small partition read, never a scan. */
const OPEN_INCIDENTS_PK = 'INCIDENTS#OPEN';

/**
 * `INCIDENT#<source>#<id>` / `BRIEF` (the brief's outbox id and document) and `EVENT#<instant>#<eventId>`
 * (timeline entries, on `byTime` by day).
 */
export const INCIDENT_KEY_PREFIXES = ['INCIDENT#*'] as const;
/** `INCIDENTS#OPEN` / `<incidentKey>`: one item per unresolved incident. */
export const OPEN_INCIDENT_KEY_PREFIXES = [OPEN_INCIDENTS_PK] as const;

export class DynamoIncidents implements IncidentStore {
  constructor(private readonly table: TableAccess) {}

  async appendIncidentEvent(incidentKey: string, event: CanonicalEvent): Promise<void> {
    try {
      await this.table.db.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: {
            [t.partitionKey]: incidentPk(incidentKey),
            [t.sortKey]: timelineSk(event),
            ...timeIndexAttributes(event.occurredAt, event.id),
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
    const items = await readPartition(this.table, incidentPk(incidentKey));
    for (const item of items) {
      if (item[t.sortKey] === 'BRIEF') {
        if (item.brief) record.brief = item.brief as IncidentBrief;
      } else {
        record.timeline.push({ event: item.event } as TimelineEntry);
      }
    }
    return record;
  }

  async saveBrief(incidentKey: string, brief: IncidentBrief): Promise<IncidentBrief> {
    try {
      await this.table.db.send(
        new PutCommand({
          TableName: this.table.tableName,
          Item: { [t.partitionKey]: incidentPk(incidentKey), [t.sortKey]: 'BRIEF', brief },
          ConditionExpression: 'attribute_not_exists(brief)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return brief;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return (await this.loadIncident(incidentKey)).brief ?? brief;
    }
  }

  async trackOpenIncident(incidentKey: string, open: OpenIncident | undefined): Promise<void> {
    const key = { [t.partitionKey]: OPEN_INCIDENTS_PK, [t.sortKey]: incidentKey };
    if (open) {
      await this.table.db.send(new PutCommand({ TableName: this.table.tableName, Item: { ...key, open } }));
    } else {
      await this.table.db.send(new DeleteCommand({ TableName: this.table.tableName, Key: key }));
    }
  }

  async openIncidents(): Promise<OpenIncident[]> {
    return (await readPartition(this.table, OPEN_INCIDENTS_PK)).map((item) => item.open as OpenIncident);
  }
}

function incidentPk(incidentKey: string): string {
  return `INCIDENT#${incidentKey}`;
}
