import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient, ResourceNotFoundException, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { tableDefinition as t } from '../core/table-definition';

/**
 * Creates the table from the shared definition unless it exists (local runtime and tests;
 * in AWS the CDK stack owns it).
 */
export async function createTableIfMissing(client: DynamoDBClient, tableName: string): Promise<'created' | 'existed'> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return 'existed';
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException)) throw error;
  }
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [t.partitionKey, t.sortKey, t.timeIndex.partitionKey, t.timeIndex.sortKey, t.candidateIndex.partitionKey].map((name) => ({
        AttributeName: name,
        AttributeType: 'S',
      })),
      KeySchema: [
        { AttributeName: t.partitionKey, KeyType: 'HASH' },
        { AttributeName: t.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: t.timeIndex.name,
          KeySchema: [
            { AttributeName: t.timeIndex.partitionKey, KeyType: 'HASH' },
            { AttributeName: t.timeIndex.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: t.candidateIndex.name,
          KeySchema: [{ AttributeName: t.candidateIndex.partitionKey, KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    }),
  );
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: t.ttlAttribute, Enabled: true },
    }),
  );
  return 'created';
}
