import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { tableDefinition as t } from '../core/table-definition';
import { asStoreError } from './dynamo-errors';

export type Readiness = { ready: true } | { ready: false; reason: string };

/**
 * Readiness of the table: one eventually consistent GetItem of a key that never exists
 * (half a read unit), through a client with bounded timeouts, so the check answers quickly
 * whether DynamoDB is up, down or hanging.
 */
export async function dynamoReadiness(db: DynamoDBDocumentClient, tableName: string): Promise<Readiness> {
  try {
    await db.send(new GetCommand({ TableName: tableName, Key: { [t.partitionKey]: 'READINESS', [t.sortKey]: 'PROBE' } }));
    return { ready: true };
  } catch (error) {
    const classified = asStoreError(error);
    const reason = classified instanceof Error ? classified.message : String(classified);
    return { ready: false, reason: `DynamoDB table ${tableName} cannot be read: ${reason}` };
  }
}
