import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { tableDefinition as t } from '../core/table-definition';
import type { ClaimResult } from '../ports/store';
import type { WriteClaims } from '../ports/write-claims';
import { claimLease } from './dynamo-lease';

/** A claim is only needed until its document is in the outbox; a week covers any retry. */
const CLAIM_RETENTION_MS = 7 * 86_400_000;

/** Partition key prefix of the claims, for the IAM leading-key conditions in lib/. */
export const WRITE_CLAIM_KEY_PREFIXES = ['WRITE#*'] as const;

/** `WRITE#<documentId>` / `CLAIM`: one item per document, holding the writer's lease and, once done, `writtenAt`. */
export class DynamoWriteClaims implements WriteClaims {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  claim(documentId: string, now: Date, leaseMs: number): Promise<ClaimResult> {
    return claimLease(this.db, {
      tableName: this.tableName,
      key: claimKey(documentId),
      doneAttribute: 'writtenAt',
      now,
      leaseMs,
      mustExist: false,
      expiresAt: new Date(now.getTime() + CLAIM_RETENTION_MS),
    });
  }

  async markWritten(documentId: string, now: Date): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: claimKey(documentId),
        UpdateExpression: 'SET writtenAt = if_not_exists(writtenAt, :at) REMOVE claimedUntil',
        ExpressionAttributeValues: { ':at': now.toISOString() },
      }),
    );
  }

  async release(documentId: string): Promise<void> {
    await this.db
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: claimKey(documentId),
          UpdateExpression: 'REMOVE claimedUntil',
          ConditionExpression: 'attribute_exists(#pk) AND attribute_not_exists(writtenAt)',
          ExpressionAttributeNames: { '#pk': t.partitionKey },
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  }
}

function claimKey(documentId: string) {
  return { [t.partitionKey]: `WRITE#${documentId}`, [t.sortKey]: 'CLAIM' };
}
