import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { tableDefinition as t } from '../core/table-definition';
import type { ClaimResult } from '../ports/store';

export interface LeaseRequest {
  tableName: string;
  key: Record<string, string>;
  /** The attribute that, once set, means the work is done for good (e.g. `post`, `message`). */
  doneAttribute: string;
  now: Date;
  leaseMs: number;
  /** Refuse to create the item: the claim is on something that must already exist. */
  mustExist: boolean;
  /** Where the lease expiry is kept; one per side effect when an item has several. */
  leaseAttribute?: string;
  /** When DynamoDB may delete the item, set on its first claim (for items that exist only to be claimed). */
  expiresAt?: Date;
}

/**
 * Takes a time-limited lease on one item so exactly one worker does a side effect (a Slack post)
 * at a time. Free when the work is not done and the item was never claimed or the last lease
 * lapsed (its holder died mid-way).
 */
export async function claimLease(db: DynamoDBDocumentClient, request: LeaseRequest): Promise<ClaimResult> {
  const existence = request.mustExist ? `attribute_exists(${Object.keys(request.key)[0] ?? 'pk'}) AND ` : '';
  try {
    await db.send(
      new UpdateCommand({
        TableName: request.tableName,
        Key: request.key,
        UpdateExpression: request.expiresAt ? 'SET #lease = :until, #ttl = if_not_exists(#ttl, :ttl)' : 'SET #lease = :until',
        ConditionExpression: `${existence}attribute_not_exists(#done) AND (attribute_not_exists(#lease) OR #lease < :now)`,
        ExpressionAttributeNames: {
          '#done': request.doneAttribute,
          '#lease': request.leaseAttribute ?? 'claimedUntil',
          ...(request.expiresAt ? { '#ttl': t.ttlAttribute } : {}),
        },
        ExpressionAttributeValues: {
          ':until': request.now.getTime() + request.leaseMs,
          ':now': request.now.getTime(),
          ...(request.expiresAt ? { ':ttl': Math.floor(request.expiresAt.getTime() / 1000) } : {}),
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return 'claimed';
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) {
      return error.Item?.[request.doneAttribute] ? 'already-posted' : 'held-by-another';
    }
    throw error;
  }
}
