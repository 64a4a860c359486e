import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, type QueryCommandInput, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Approval, AuditEntry } from '../approvals/approval';
import { tableDefinition as t } from '../core/table-definition';
import type { ApprovalEffect, ApprovalStore, PendingApproval, Transition, TransitionResult } from '../ports/approval-store';
import type { ClaimResult } from '../ports/store';
import { candidateAttribute, queryAll, timeIndexAttributes } from './dynamo-keys';
import { claimLease } from './dynamo-lease';

/** Concurrent clicks on one approval make DynamoDB cancel all but one transaction; those retry. */
const CONFLICT_RETRIES = 6;

/**
 * Keys (same table as everything else, see docs/adr/0002-single-table.md):
 * - `APPROVAL#<id>` / `STATE`                       the approval (status, version, message)
 * - `APPROVAL#<id>` / `AUDIT#<instant>#<uuid>`      append-only audit trail, also on `byTime`
 * - `APPROVALS#PENDING` / `<deadline>#<id>`         one pointer per pending approval: expiry and
 *                                                   "pending now" read this partition, never scan
 * All three carry `candidateKey` for offers, so a GDPR erasure removes them.
 */
export class DynamoApprovalStore implements ApprovalStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async open(approval: Approval, at: Date): Promise<'created' | 'exists'> {
    const entry: AuditEntry = {
      at: at.toISOString(),
      actor: 'system',
      action: 'opened',
      outcome: 'applied',
      fromStatus: 'pending',
      toStatus: 'pending',
      version: 1,
    };
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...stateKey(approval.id), ...approval, ...candidateAttribute(approval.candidateKey), ...ttl(approval) },
                ConditionExpression: 'attribute_not_exists(#pk)',
                ExpressionAttributeNames: { '#pk': t.partitionKey },
              },
            },
            { Put: { TableName: this.tableName, Item: this.pointerItem(approval) } },
            { Put: { TableName: this.tableName, Item: this.auditItem(approval, entry) } },
          ],
        }),
      );
      return 'created';
    } catch (error) {
      if (cancelledBecause(error, 0, 'ConditionalCheckFailed')) return 'exists';
      throw error;
    }
  }

  async get(id: string): Promise<Approval | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: stateKey(id), ConsistentRead: true }));
    return result.Item ? toApproval(result.Item) : undefined;
  }

  async transition(id: string, change: Transition, known?: Approval): Promise<TransitionResult> {
    for (let attempt = 0; ; attempt += 1) {
      // `known` may be stale: then the condition fails and the fresh read below reports who won.
      const current = attempt === 0 && known ? known : await this.get(id);
      if (!current || current.status !== 'pending') return { applied: false, approval: current };
      const next: Approval = {
        ...current,
        status: change.to,
        decidedBy: change.actor,
        decidedAt: change.at.toISOString(),
        ...(change.reason ? { reason: change.reason } : {}),
        version: current.version + 1,
      };
      const entry: AuditEntry = {
        at: change.at.toISOString(),
        actor: change.actor,
        action: change.action,
        outcome: 'applied',
        ...(change.reason ? { detail: change.reason } : {}),
        fromStatus: 'pending',
        toStatus: change.to,
        version: next.version,
      };
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName: this.tableName,
                  Key: stateKey(id),
                  // Pending and unchanged since we read it: exactly one caller wins.
                  UpdateExpression: `SET #status = :to, decidedBy = :by, decidedAt = :at, version = :next${change.reason ? ', reason = :reason' : ''}`,
                  ConditionExpression: '#status = :pending AND version = :version',
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: {
                    ':to': change.to,
                    ':by': change.actor,
                    ':at': next.decidedAt,
                    ':next': next.version,
                    ':pending': 'pending',
                    ':version': current.version,
                    ...(change.reason ? { ':reason': change.reason } : {}),
                  },
                },
              },
              { Delete: { TableName: this.tableName, Key: pointerKey(current) } },
              { Put: { TableName: this.tableName, Item: this.auditItem(current, entry) } },
            ],
          }),
        );
        return { applied: true, approval: next };
      } catch (error) {
        if (cancelledBecause(error, 0, 'ConditionalCheckFailed')) return { applied: false, approval: await this.get(id) };
        const conflict = error instanceof TransactionCanceledException || (error instanceof Error && error.name === 'TransactionConflictException');
        if (!conflict || attempt >= CONFLICT_RETRIES) throw error;
        await new Promise((resolve) => setTimeout(resolve, 10 + Math.random() * 40 * (attempt + 1)));
      }
    }
  }

  async recordRefusal(approval: Approval, entry: Omit<AuditEntry, 'outcome' | 'fromStatus' | 'toStatus' | 'version'>): Promise<void> {
    const full: AuditEntry = { ...entry, outcome: 'refused', fromStatus: approval.status, toStatus: approval.status, version: approval.version };
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: this.auditItem(approval, full) }));
  }

  async audit(id: string): Promise<AuditEntry[]> {
    const items = await this.queryAll({
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :audit)',
      ExpressionAttributeNames: { '#pk': t.partitionKey, '#sk': t.sortKey },
      ExpressionAttributeValues: { ':pk': `APPROVAL#${id}`, ':audit': 'AUDIT#' },
      ConsistentRead: true,
    });
    return items.map((item) => item.entry as AuditEntry);
  }

  async pending(deadlineBefore?: Date): Promise<PendingApproval[]> {
    // Sort keys start with the deadline, so "due before" is a key condition, not a filter.
    const items = await this.queryAll({
      KeyConditionExpression: deadlineBefore ? '#pk = :pk AND #sk < :before' : '#pk = :pk',
      ExpressionAttributeNames: { '#pk': t.partitionKey, ...(deadlineBefore ? { '#sk': t.sortKey } : {}) },
      ExpressionAttributeValues: { ':pk': PENDING_PK, ...(deadlineBefore ? { ':before': deadlineBefore.toISOString() } : {}) },
      ConsistentRead: true,
    });
    return items.map((item) => ({
      id: String(item.id),
      triggerId: String(item.triggerId ?? ''),
      kind: String(item.kind ?? ''),
      subject: String(item.subject ?? item.subjectId),
      subjectId: String(item.subjectId),
      deadline: String(item.deadline),
      createdAt: String(item.createdAt),
    }));
  }

  claim(id: string, effect: ApprovalEffect, now: Date, leaseMs: number): Promise<ClaimResult> {
    const { done, lease } = EFFECT_ATTRIBUTES[effect];
    return claimLease(this.db, { tableName: this.tableName, key: stateKey(id), doneAttribute: done, leaseAttribute: lease, now, leaseMs, mustExist: true });
  }

  async markDone(id: string, effect: Exclude<ApprovalEffect, 'message'>, at: Date): Promise<void> {
    const { done, lease } = EFFECT_ATTRIBUTES[effect];
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: stateKey(id),
        UpdateExpression: 'SET #done = :at REMOVE #lease',
        ExpressionAttributeNames: { '#done': done, '#lease': lease },
        ExpressionAttributeValues: { ':at': at.toISOString() },
      }),
    );
  }

  async saveMessage(id: string, message: NonNullable<Approval['message']>): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: stateKey(id),
        UpdateExpression: 'SET message = :message REMOVE messageLease',
        ExpressionAttributeValues: { ':message': message },
      }),
    );
  }

  private pointerItem(approval: Approval): Record<string, unknown> {
    return {
      ...pointerKey(approval),
      id: approval.id,
      triggerId: approval.triggerId,
      kind: approval.kind,
      subject: approval.subject.key ?? approval.subject.title.slice(0, 200),
      subjectId: approval.subject.id,
      deadline: approval.deadline,
      createdAt: approval.createdAt,
      ...candidateAttribute(approval.candidateKey),
      ...ttl(approval),
    };
  }

  private auditItem(approval: Approval, entry: AuditEntry): Record<string, unknown> {
    const unique = randomUUID();
    return {
      [t.partitionKey]: `APPROVAL#${approval.id}`,
      [t.sortKey]: `AUDIT#${entry.at}#${unique}`,
      ...timeIndexAttributes(entry.at, `approval:${approval.id}:${unique}`),
      ...candidateAttribute(approval.candidateKey),
      ...ttl(approval),
      kind: 'approval-audit',
      approvalId: approval.id,
      // Enough for the digest to report the decision without reading the approval.
      approvalKind: approval.kind,
      subject: approval.subject.key ?? approval.subject.title.slice(0, 200),
      entry,
    };
  }

  private queryAll(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Record<string, unknown>[]> {
    return queryAll(this.db, { ...input, TableName: this.tableName });
  }
}

const PENDING_PK = 'APPROVALS#PENDING';

/** Partition key prefixes, for the IAM leading-key conditions in lib/: the approvals, and the index of pending ones. */
export const APPROVAL_KEY_PREFIXES = ['APPROVAL#*'] as const;
export const PENDING_APPROVAL_KEY_PREFIXES = [PENDING_PK] as const;

/** Each side effect has its own "done" marker and its own lease. */
const EFFECT_ATTRIBUTES: Record<ApprovalEffect, { done: string; lease: string }> = {
  message: { done: 'message', lease: 'messageLease' },
  comment: { done: 'commentedAt', lease: 'commentLease' },
  transition: { done: 'transitionedAt', lease: 'transitionLease' },
  escalation: { done: 'escalatedAt', lease: 'escalationLease' },
  reminder: { done: 'remindedAt', lease: 'reminderLease' },
};

/** The approval's own TTL (offers only), on each of its items. */
function ttl(approval: Approval): Record<string, number> {
  return approval.expiresAt ? { [t.ttlAttribute]: approval.expiresAt } : {};
}

function stateKey(id: string): Record<string, string> {
  return { [t.partitionKey]: `APPROVAL#${id}`, [t.sortKey]: 'STATE' };
}

function pointerKey(approval: Pick<Approval, 'id' | 'deadline'>): Record<string, string> {
  return { [t.partitionKey]: PENDING_PK, [t.sortKey]: `${approval.deadline}#${approval.id}` };
}

/** Whether a transaction was cancelled because item `index` failed with `code`. */
function cancelledBecause(error: unknown, index: number, code: string): boolean {
  return error instanceof TransactionCanceledException && error.CancellationReasons?.[index]?.Code === code;
}

function toApproval(item: Record<string, unknown>): Approval {
  // `candidateKey` is both an Approval field and the erasure index's key, so it stays.
  const {
    [t.partitionKey]: _pk,
    [t.sortKey]: _sk,
    messageLease: _m,
    commentLease: _cl,
    commentedAt: _ca,
    transitionLease: _tl,
    transitionedAt: _ta,
    escalationLease: _el,
    escalatedAt: _ea,
    ...rest
  } = item;
  return rest as unknown as Approval;
}
