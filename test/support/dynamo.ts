import { randomUUID } from 'node:crypto';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { createDocumentClient } from '../../functions/adapters/dynamo-client';
import { createTableIfMissing } from '../../functions/adapters/dynamo-table';

/** A fresh, uniquely named table in the shared DynamoDB Local, so test files never collide. */
export async function freshTable(prefix = 'test') {
  const endpoint = inject('dynamoEndpoint');
  const db = createDocumentClient({ endpoint });
  const tableName = `${prefix}-${randomUUID()}`;
  await createTableIfMissing(db, tableName);
  return {
    endpoint,
    db,
    tableName,
    /** Every item in the table; a Scan is fine for assertions on a test table. */
    async items(): Promise<Record<string, unknown>[]> {
      const result = await db.send(new ScanCommand({ TableName: tableName, ConsistentRead: true }));
      return result.Items ?? [];
    },
  };
}
