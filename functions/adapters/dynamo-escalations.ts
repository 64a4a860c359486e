import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { tableDefinition as t } from '../core/table-definition';
import type { EscalationRule } from '../escalations/rules';
import type { ClaimDecision, ClaimResult, EscalationRecord, EscalationStore, Storm, StormGate } from '../ports/escalation-store';
import { queryAll } from './dynamo-keys';

/** Partition of the storm gate and of every storm message's entries. */
const STORM_PK = 'ESCALATIONS#STORM';
const GATE_SK = 'GATE';
/** Optimistic retries when concurrent escalations race for the gate; each retry re-reads it. */
const MAX_ATTEMPTS = 20;

/**
 * Escalations in DynamoDB:
 * - `ESCALATION#<subjectKey>` / `RULE#<rule>`  one per subject and rule (the exactly-once decision)
 * - `ESCALATIONS#STORM` / `GATE`               recent firing times and the current storm, versioned
 * - `ESCALATIONS#STORM` / `STORM#<id>`         every storm's entries, kept after it ends
 */
export class DynamoEscalationStore implements EscalationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(subjectKey: string, rule: EscalationRule, decide: ClaimDecision): Promise<ClaimResult> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const existing = await this.get(subjectKey, rule);
      if (existing) return { created: false, record: existing };
      const { gate, version } = await this.gate();
      const decision = decide(gate);
      const record = { ...decision.record, subjectKey, rule };
      const storm = record.mode === 'storm' ? decision.gate.storm : undefined;
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.tableName,
                  Item: { ...recordKey(subjectKey, rule), kind: 'escalation', ...record },
                  ConditionExpression: 'attribute_not_exists(#pk)',
                  ExpressionAttributeNames: { '#pk': t.partitionKey },
                },
              },
              {
                Put: {
                  TableName: this.tableName,
                  Item: { ...gateKey(), kind: 'escalation-gate', recent: decision.gate.recent, storm: decision.gate.storm, version: version + 1 },
                  ConditionExpression: version === 0 ? 'attribute_not_exists(#pk)' : '#version = :version',
                  ExpressionAttributeNames: version === 0 ? { '#pk': t.partitionKey } : { '#version': 'version' },
                  ...(version === 0 ? {} : { ExpressionAttributeValues: { ':version': version } }),
                },
              },
              ...(storm ? [{ Put: { TableName: this.tableName, Item: { ...stormKey(storm.id), kind: 'escalation-storm', ...storm } } }] : []),
            ],
          }),
        );
        return storm ? { created: true, record, storm } : { created: true, record };
      } catch (error) {
        // Either the record appeared (another worker won: read it on the next pass) or the gate
        // moved on (another escalation elsewhere): both are settled by trying again.
        const conflict = error instanceof TransactionCanceledException || (error instanceof Error && error.name === 'TransactionConflictException');
        if (!conflict) throw error;
      }
    }
    throw new Error(`Could not record the ${rule} escalation of ${subjectKey}: the storm gate kept changing`);
  }

  async get(subjectKey: string, rule: EscalationRule): Promise<EscalationRecord | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: recordKey(subjectKey, rule), ConsistentRead: true }));
    return result.Item ? toRecord(result.Item) : undefined;
  }

  async markSent(subjectKey: string, rule: EscalationRule, at: Date): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: recordKey(subjectKey, rule),
        UpdateExpression: 'SET sentAt = if_not_exists(sentAt, :at)',
        ConditionExpression: 'attribute_exists(#pk)',
        ExpressionAttributeNames: { '#pk': t.partitionKey },
        ExpressionAttributeValues: { ':at': at.toISOString() },
      }),
    );
  }

  async storm(id: string): Promise<Storm | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: stormKey(id), ConsistentRead: true }));
    if (!result.Item) return undefined;
    const { id: stormId, startedAt, lastAt, entries } = result.Item as Storm;
    return { id: stormId, startedAt, lastAt, entries };
  }

  async forSubject(subjectKey: string): Promise<EscalationRecord[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :rule)',
      ExpressionAttributeNames: { '#pk': t.partitionKey, '#sk': t.sortKey },
      ExpressionAttributeValues: { ':pk': `ESCALATION#${subjectKey}`, ':rule': 'RULE#' },
      ConsistentRead: true,
    });
    return items.map(toRecord);
  }

  private async gate(): Promise<{ gate: StormGate; version: number }> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: gateKey(), ConsistentRead: true }));
    const item = result.Item as (StormGate & { version: number }) | undefined;
    return item ? { gate: { recent: item.recent ?? [], storm: item.storm }, version: item.version } : { gate: { recent: [] }, version: 0 };
  }
}

function recordKey(subjectKey: string, rule: EscalationRule) {
  return { [t.partitionKey]: `ESCALATION#${subjectKey}`, [t.sortKey]: `RULE#${rule}` };
}

function gateKey() {
  return { [t.partitionKey]: STORM_PK, [t.sortKey]: GATE_SK };
}

function stormKey(id: string) {
  return { [t.partitionKey]: STORM_PK, [t.sortKey]: `STORM#${id}` };
}

function toRecord(item: Record<string, unknown>): EscalationRecord {
  const { subjectKey, rule, firedAt, reason, mode, messageId, eventId, sentAt } = item as unknown as EscalationRecord;
  return { subjectKey, rule, firedAt, reason, mode, messageId, ...(eventId ? { eventId } : {}), ...(sentAt ? { sentAt } : {}) };
}
