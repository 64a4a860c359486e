import type { TestProject } from 'vitest/node';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../functions/adapters/dynamo-client';
import { createTableIfMissing } from '../../functions/adapters/dynamo-table';
import { startDynamoDbLocal } from '../../local/dynamodb-local';

/**
 * One DynamoDB Local for the whole run (about 2 s to start); each test file makes its own
 * table, so files never see each other's items. DYNAMODB_ENDPOINT, if set, is used instead.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (process.env.DYNAMODB_ENDPOINT) {
    project.provide('dynamoEndpoint', process.env.DYNAMODB_ENDPOINT);
    return async () => {};
  }
  const dynamo = await startDynamoDbLocal();
  await warmUp(dynamo.endpoint);
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return () => dynamo.stop();
}

/**
 * The JVM behind DynamoDB Local compiles its transaction path on first use (a second or more);
 * one transaction here keeps that out of whichever test happens to run first.
 */
async function warmUp(endpoint: string): Promise<void> {
  const db = createDocumentClient({ endpoint });
  const TableName = 'warm-up';
  await createTableIfMissing(db, TableName);
  for (let i = 0; i < 5; i += 1) {
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName, Item: { pk: `w${i}`, sk: 'w' }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName, Item: { pk: `w${i}`, sk: 'x' } } },
        ],
      }),
    );
    await db.send(new GetCommand({ TableName, Key: { pk: `w${i}`, sk: 'w' }, ConsistentRead: true }));
  }
  await db.send(new DeleteTableCommand({ TableName }));
  db.destroy();
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}
