import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { tableDefinition as t } from '../core/table-definition';

type Key = Record<string, string>;
type Item = Record<string, unknown>;

/** Optimistic retries when concurrent claims race for the gate; each retry re-reads it. */
const MAX_ATTEMPTS = 30;

export interface GatedClaim<Gate, Decision> {
  tableName: string;
  /** The record that exists once the decision is taken: at most one ever. */
  recordKey: Key;
  /** The shared, versioned item every decision reads and moves on (e.g. a storm window). */
  gateKey: Key;
  emptyGate: Gate;
  /** Pure: the decision, the gate after it, and any other items written with them. */
  decide(gate: Gate): { record: Decision & Item; gate: Gate & Item; alsoPut?: Item[] };
  /** What a stored record item means to the caller. */
  toDecision(item: Item): Decision;
  /** Says what could not be decided, for the error when the gate never settles. */
  describe: string;
}

/**
 * Takes a decision exactly once under a shared gate: the record (conditional on not existing)
 * and the gate (conditional on its version) are written in one transaction, so concurrent
 * claims serialise and exactly one creates. A loser re-reads and either finds the record or
 * decides again against the gate as it now is.
 */
export async function claimUnderGate<Gate, Decision>(
  db: DynamoDBDocumentClient,
  claim: GatedClaim<Gate, Decision>,
): Promise<{ created: boolean; decision: Decision; extra: Item[] }> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const existing = await db.send(new GetCommand({ TableName: claim.tableName, Key: claim.recordKey, ConsistentRead: true }));
    if (existing.Item) return { created: false, decision: claim.toDecision(existing.Item), extra: [] };
    const gateItem = (await db.send(new GetCommand({ TableName: claim.tableName, Key: claim.gateKey, ConsistentRead: true }))).Item;
    const version = typeof gateItem?.version === 'number' ? gateItem.version : 0;
    const decided = claim.decide(gateItem ? (gateItem as Gate) : claim.emptyGate);
    const extra = decided.alsoPut ?? [];
    try {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: claim.tableName,
                Item: { ...claim.recordKey, ...decided.record },
                ConditionExpression: 'attribute_not_exists(#pk)',
                ExpressionAttributeNames: { '#pk': t.partitionKey },
              },
            },
            {
              Put: {
                TableName: claim.tableName,
                Item: { ...decided.gate, ...claim.gateKey, version: version + 1 },
                ConditionExpression: version === 0 ? 'attribute_not_exists(#pk)' : '#version = :version',
                ExpressionAttributeNames: version === 0 ? { '#pk': t.partitionKey } : { '#version': 'version' },
                ...(version === 0 ? {} : { ExpressionAttributeValues: { ':version': version } }),
              },
            },
            ...extra.map((item) => ({ Put: { TableName: claim.tableName, Item: item } })),
          ],
        }),
      );
      return { created: true, decision: claim.toDecision({ ...claim.recordKey, ...decided.record }), extra };
    } catch (error) {
      // Either the record appeared (another worker won: read it on the next pass) or the gate
      // moved on (a decision elsewhere): both are settled by trying again, after a short jitter.
      const conflict = error instanceof TransactionCanceledException || (error instanceof Error && error.name === 'TransactionConflictException');
      if (!conflict) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * Math.min(attempt + 1, 10)));
    }
  }
  throw new Error(`Could not decide ${claim.describe}: the gate kept changing`);
}
