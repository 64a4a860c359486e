import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { tableDefinition as t } from '../core/table-definition';
import type { InboxKeeper, InboxMessage } from './inbox-chat';
import { epochSeconds, queryAll } from './dynamo-keys';

/** Partition of the local inbox's messages (local runtime only; Slack keeps its own in AWS). */
export const LOCAL_INBOX_PK = 'LOCALINBOX';
/** As long as the outbox keeps the record of what it posted. */
const INBOX_RETENTION_DAYS = 180;

/**
 * Keeps the local inbox's messages in the table, so a restarted `npm start` shows what it
 * posted before, and the outbox can find a post again and update it, as it does in Slack.
 * One item per message: `LOCALINBOX` / `<ts>#<channel>`, rewritten whole on an update.
 */
export class DynamoInboxLog implements InboxKeeper {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async save(message: InboxMessage): Promise<void> {
    const expiresAt = new Date(new Date(message.postedAt).getTime() + INBOX_RETENTION_DAYS * 86_400_000);
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { [t.partitionKey]: LOCAL_INBOX_PK, [t.sortKey]: `${message.ts}#${message.channel}`, message, [t.ttlAttribute]: epochSeconds(expiresAt) },
      }),
    );
  }

  /** Every kept message, oldest first (a ts sorts as its posting order). */
  async load(): Promise<InboxMessage[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': t.partitionKey },
      ExpressionAttributeValues: { ':pk': LOCAL_INBOX_PK },
    });
    return items.map((item) => item.message as InboxMessage);
  }
}
