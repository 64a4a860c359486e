import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { tableDefinition as t } from '../core/table-definition';
import type { DailySpend, TokenLedger } from '../ports/token-ledger';
import type { TokenUsage } from '../ports/writer';
import type { TableAccess } from './dynamo-records';

/** `SPEND#<YYYY-MM-DD>` / `TOKENS`: the day's model spend (atomic counters). */
export const SPEND_KEY_PREFIXES = ['SPEND#*'] as const;

/** Model spend per day is kept for a year of budget history. */
const SPEND_TTL_SECONDS = 400 * 86_400;

export class DynamoTokenLedger implements TokenLedger {
  constructor(private readonly table: TableAccess) {}

  async spend(day: string): Promise<DailySpend> {
    const result = await this.table.db.send(new GetCommand({ TableName: this.table.tableName, Key: spendKey(day), ConsistentRead: true }));
    const item = result.Item ?? {};
    const n = (name: string) => (typeof item[name] === 'number' ? (item[name] as number) : 0);
    return {
      day,
      inputTokens: n('inputTokens'),
      outputTokens: n('outputTokens'),
      cacheWriteTokens: n('cacheWriteTokens'),
      cacheReadTokens: n('cacheReadTokens'),
      totalTokens: n('totalTokens'),
      // Kept in micro-dollars so the counter stays an exact integer.
      estimatedCostUsd: n('costMicroUsd') / 1_000_000,
      calls: n('calls'),
      budgetFallbacks: n('budgetFallbacks'),
    };
  }

  /** The cost comes priced by the caller: the ledger stores numbers and knows no model's prices. */
  async record(day: string, usage: TokenUsage, estimatedCostUsd: number, calls: number): Promise<void> {
    await this.addToSpend(day, {
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cacheWriteTokens: usage.cacheWriteTokens,
      cacheReadTokens: usage.cacheReadTokens,
      totalTokens: usage.inputTokens + usage.outputTokens + usage.cacheWriteTokens + usage.cacheReadTokens,
      costMicroUsd: Math.round(estimatedCostUsd * 1_000_000),
      calls,
    });
  }

  async recordBudgetFallback(day: string): Promise<void> {
    await this.addToSpend(day, { budgetFallbacks: 1 });
  }

  /** One atomic `ADD` per counter: concurrent writers never overwrite each other. */
  private async addToSpend(day: string, counters: Record<string, number>): Promise<void> {
    const names = Object.keys(counters);
    await this.table.db.send(
      new UpdateCommand({
        TableName: this.table.tableName,
        Key: spendKey(day),
        UpdateExpression: `ADD ${names.map((_, i) => `#c${i} :c${i}`).join(', ')} SET #ttl = if_not_exists(#ttl, :ttl)`,
        ExpressionAttributeNames: { ...Object.fromEntries(names.map((name, i) => [`#c${i}`, name])), '#ttl': t.ttlAttribute },
        ExpressionAttributeValues: {
          ...Object.fromEntries(names.map((name, i) => [`:c${i}`, counters[name]])),
          ':ttl': Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000) + SPEND_TTL_SECONDS,
        },
      }),
    );
  }
}

function spendKey(day: string): Record<string, string> {
  return { [t.partitionKey]: `SPEND#${day}`, [t.sortKey]: 'TOKENS' };
}
