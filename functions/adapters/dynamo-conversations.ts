import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { tableDefinition as t } from '../core/table-definition';
import type { ConversationKey, ConversationStore, ConversationTurn } from '../ports/conversation-store';
import { epochSeconds } from './dynamo-keys';

/** Leading key of every conversation item (for the IAM condition in lib/). */
export const CONVERSATION_KEY_PREFIX = 'THREAD#';

/**
 * Conversations on the service table: `THREAD#<channel>#<threadTs>` / `TURN#<askedAt>#<eventId>`,
 * one item per question answered, deleted by TTL a day after it was asked. (Answering once is
 * the write-once claim's job, functions/outbox/write-once.ts.)
 */
export class DynamoConversationStore implements ConversationStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly retentionMs = 86_400_000,
  ) {}

  async saveAnswer(key: ConversationKey, turn: ConversationTurn & { answer: string; answeredBy: string }): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: turnKey(key, turn),
        // The first record of an answer stands: a worker that found it already written saves it again with less detail.
        UpdateExpression:
          'SET question = :question, askedAt = :askedAt, eventId = :eventId, answer = if_not_exists(answer, :answer), answeredBy = if_not_exists(answeredBy, :by), #ttl = :ttl',
        ExpressionAttributeNames: { '#ttl': t.ttlAttribute },
        ExpressionAttributeValues: {
          ':question': turn.question,
          ':askedAt': turn.askedAt,
          ':eventId': turn.eventId,
          ':answer': turn.answer,
          ':by': turn.answeredBy,
          ':ttl': epochSeconds(new Date(Date.parse(turn.askedAt) + this.retentionMs)),
        },
      }),
    );
  }

  async recentTurns(key: ConversationKey, beforeAskedAt: string, limit: number): Promise<ConversationTurn[]> {
    if (limit <= 0) return [];
    // Newest first, one bounded page: a thread's few turns of the last day.
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk AND #sk < :before',
        ExpressionAttributeNames: { '#pk': t.partitionKey, '#sk': t.sortKey },
        ExpressionAttributeValues: { ':pk': threadPk(key), ':before': `TURN#${beforeAskedAt}` },
        ScanIndexForward: false,
        Limit: limit * 2,
        ConsistentRead: true,
      }),
    );
    return (result.Items ?? [])
      .filter((item) => typeof item.answer === 'string')
      .slice(0, limit)
      .reverse()
      .map((item) => ({
        eventId: String(item.eventId),
        askedAt: String(item.askedAt),
        question: String(item.question),
        answer: String(item.answer),
        answeredBy: String(item.answeredBy ?? ''),
      }));
  }
}

function threadPk(key: ConversationKey): string {
  return `${CONVERSATION_KEY_PREFIX}${key.channel}#${key.threadTs ?? 'main'}`;
}

function turnKey(key: ConversationKey, turn: Pick<ConversationTurn, 'askedAt' | 'eventId'>): Record<string, string> {
  return { [t.partitionKey]: threadPk(key), [t.sortKey]: `TURN#${turn.askedAt}#${turn.eventId}` };
}
