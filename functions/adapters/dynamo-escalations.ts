import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { tableDefinition as t } from '../core/table-definition';
import type { EscalationRule } from '../escalations/rules';
import type { ClaimDecision, ClaimResult, EscalationRecord, EscalationStore, Storm, StormGate } from '../ports/escalation-store';
import { queryAll, timeIndexAttributes } from './dynamo-keys';
import { claimUnderGate } from './dynamo-gated-claim';

/** Partition of the storm gate and of every storm message's entries. */
const STORM_PK = 'ESCALATIONS#STORM';
const GATE_SK = 'GATE';

/**
 * Escalations in DynamoDB:
 * - `ESCALATION#<subjectKey>` / `RULE#<rule>`  one per subject and rule (the exactly-once decision), on `byTime`
 * - `ESCALATIONS#STORM` / `GATE`               recent firing times and the current storm, versioned
 * - `ESCALATIONS#STORM` / `STORM#<id>`         every storm's entries, kept after it ends
 */
export class DynamoEscalationStore implements EscalationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(subjectKey: string, rule: EscalationRule, decide: ClaimDecision): Promise<ClaimResult> {
    let storm: Storm | undefined;
    const { created, decision: record } = await claimUnderGate<StormGate, EscalationRecord>(this.db, {
      tableName: this.tableName,
      recordKey: recordKey(subjectKey, rule),
      gateKey: gateKey(),
      emptyGate: { recent: [] },
      decide: (gate) => {
        const decision = decide({ recent: gate.recent ?? [], storm: gate.storm });
        const record = { ...decision.record, subjectKey, rule };
        storm = record.mode === 'storm' ? decision.gate.storm : undefined;
        return {
          // On the time index, so the weekly update counts the week's escalations without a scan.
          record: { kind: 'escalation', ...timeIndexAttributes(record.firedAt, `escalation:${subjectKey}:${rule}`), ...record },
          gate: { kind: 'escalation-gate', recent: decision.gate.recent, storm: decision.gate.storm },
          alsoPut: storm ? [{ ...stormKey(storm.id), kind: 'escalation-storm', ...storm }] : [],
        };
      },
      toDecision: toRecord,
      describe: `the ${rule} escalation of ${subjectKey}`,
    });
    if (!created) return { created: false, record };
    return storm ? { created: true, record, storm } : { created: true, record };
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
