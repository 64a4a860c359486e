import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { tableDefinition as t } from '../core/table-definition';
import type { AttentionDecision, AttentionStore, IncidentStormGate, Rollup, RollupMember } from '../ports/attention-store';
import { queryAll } from './dynamo-keys';
import { claimUnderGate } from './dynamo-gated-claim';
import { DynamoWriteClaims } from './dynamo-write-claims';

/** Decisions and roll-ups are about live incidents; kept as long as outbox records. */
const RETENTION_MS = 180 * 86_400_000;

/**
 * Incident attention in DynamoDB:
 * - `ATTENTION#<incidentKey>` / `DECISION`   brief or roll-up, taken once per incident
 * - `INCIDENTS#STORM` / `GATE`               recent decisions and the open roll-up, versioned
 * - `ROLLUP#<rollupId>` / `HEAD`             when it started, and a change counter (the message's revision order)
 * - `ROLLUP#<rollupId>` / `MEMBER#<key>`     one line per incident in it
 */
export class DynamoAttentionStore implements AttentionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async decide(incidentKey: string, decide: Parameters<AttentionStore['decide']>[1]): Promise<AttentionDecision> {
    const { decision } = await claimUnderGate<IncidentStormGate, AttentionDecision>(this.db, {
      tableName: this.tableName,
      recordKey: decisionKey(incidentKey),
      gateKey: { [t.partitionKey]: 'INCIDENTS#STORM', [t.sortKey]: 'GATE' },
      emptyGate: { recent: [] },
      decide: (gate) => {
        const decided = decide({ recent: gate.recent ?? [], ...(gate.rollup ? { rollup: gate.rollup } : {}) });
        const expiresAt = this.expiry();
        return {
          record: { kind: 'incident-attention', ...decided.decision, [t.ttlAttribute]: expiresAt },
          gate: { kind: 'incident-storm-gate', ...decided.gate },
          alsoPut: decided.startsRollup
            ? [{ ...headKey(decided.startsRollup.id), kind: 'incident-rollup', ...decided.startsRollup, changes: 0, [t.ttlAttribute]: expiresAt }]
            : [],
        };
      },
      toDecision: toDecision,
      describe: `whether incident ${incidentKey} gets a brief`,
    });
    return decision;
  }

  async decision(incidentKey: string): Promise<AttentionDecision | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: decisionKey(incidentKey), ConsistentRead: true }));
    return result.Item ? toDecision(result.Item) : undefined;
  }

  async rollup(rollupId: string): Promise<Rollup | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: headKey(rollupId), ConsistentRead: true }));
    return result.Item ? { id: String(result.Item.id), startedAt: String(result.Item.startedAt) } : undefined;
  }

  async saveMember(rollupId: string, member: RollupMember): Promise<{ saved: boolean; changes: number; previous?: RollupMember }> {
    let previous: RollupMember | undefined;
    let saved = true;
    try {
      const result = await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...memberKey(rollupId, member.key), kind: 'incident-rollup-member', member, order: member.order, [t.ttlAttribute]: this.expiry() },
          ConditionExpression: 'attribute_not_exists(#pk) OR #order < :order',
          ExpressionAttributeNames: { '#pk': t.partitionKey, '#order': 'order' },
          ExpressionAttributeValues: { ':order': member.order },
          ReturnValues: 'ALL_OLD',
        }),
      );
      previous = result.Attributes?.member as RollupMember | undefined;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      saved = false;
    }
    // Counted after the line is written: whoever renders with the highest count has read every line counted before it.
    const counted = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: headKey(rollupId),
        UpdateExpression: 'ADD changes :one',
        ConditionExpression: 'attribute_exists(#pk)',
        ExpressionAttributeNames: { '#pk': t.partitionKey },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return { saved, changes: Number(counted.Attributes?.changes ?? 0), ...(previous ? { previous } : {}) };
  }

  async members(rollupId: string): Promise<RollupMember[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :member)',
      ExpressionAttributeNames: { '#pk': t.partitionKey, '#sk': t.sortKey },
      ExpressionAttributeValues: { ':pk': rollupPk(rollupId), ':member': 'MEMBER#' },
      ConsistentRead: true,
    });
    return items.map((item) => item.member as RollupMember);
  }

  private expiry(): number {
    return Math.floor((Date.now() + RETENTION_MS) / 1000);
  }
}

function decisionKey(incidentKey: string) {
  return { [t.partitionKey]: `ATTENTION#${incidentKey}`, [t.sortKey]: 'DECISION' };
}

function rollupPk(rollupId: string): string {
  return `ROLLUP#${rollupId}`;
}

function headKey(rollupId: string) {
  return { [t.partitionKey]: rollupPk(rollupId), [t.sortKey]: 'HEAD' };
}

function memberKey(rollupId: string, incidentKey: string) {
  return { [t.partitionKey]: rollupPk(rollupId), [t.sortKey]: `MEMBER#${incidentKey}` };
}

function toDecision(item: Record<string, unknown>): AttentionDecision {
  return item.mode === 'rollup'
    ? { mode: 'rollup', rollupId: String(item.rollupId), decidedAt: String(item.decidedAt) }
    : { mode: 'brief', decidedAt: String(item.decidedAt) };
}

/** What the incident worker needs besides the incident store: write claims and attention decisions, on one table. */
export function incidentAttentionStores(db: DynamoDBDocumentClient, tableName: string): { claims: DynamoWriteClaims; attention: DynamoAttentionStore } {
  return { claims: new DynamoWriteClaims(db, tableName), attention: new DynamoAttentionStore(db, tableName) };
}
