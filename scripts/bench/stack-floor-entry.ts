import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { logger } from '../../functions/core/logger';
import '../../functions/core/schema-error';

/*
 * What every function of this design loads before any code of its own (`npm run bench`,
 * init.stack-floor): the DynamoDB document client, the Powertools logger and zod/mini with its
 * English messages, built like the functions. Against init.aws-sdk-floor it shows what the
 * logger and the validator add; against a function, what its own code, config and clients add.
 */
const Key = z.object({ id: z.string() });
let db: DynamoDBDocumentClient | undefined;

export const handler = async (event: unknown) => {
  const key = Key.parse(event);
  logger.info('read', { key: key.id });
  db ??= DynamoDBDocumentClient.from(new DynamoDBClient({}));
  return db.send(new GetCommand({ TableName: process.env.TABLE_NAME, Key: key }));
};
