import type { TokenUsage } from './writer';

/** What the model cost on one UTC day. */
export interface DailySpend extends TokenUsage {
  day: string;
  totalTokens: number;
  estimatedCostUsd: number;
  calls: number;
  /** Documents the template wrote because the day's budget was spent. */
  budgetFallbacks: number;
}

/** Daily model spend, kept with atomic counters so concurrent writers never lose an update. */
export interface TokenLedger {
  /** `day` is `YYYY-MM-DD` in UTC. */
  spend(day: string): Promise<DailySpend>;
  record(day: string, usage: TokenUsage, estimatedCostUsd: number, calls: number): Promise<void>;
  recordBudgetFallback(day: string): Promise<void>;
}
