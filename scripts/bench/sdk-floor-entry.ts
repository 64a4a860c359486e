import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

/*
 * The least a function that reads DynamoDB can load (`npm run bench`, init.aws-sdk-floor): the
 * document client and one command, built like the functions, with nothing of ours around it.
 */
let db: DynamoDBDocumentClient | undefined;

export const handler = async (key: Record<string, unknown>) => {
  db ??= DynamoDBDocumentClient.from(new DynamoDBClient({}));
  return db.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: key }));
};
