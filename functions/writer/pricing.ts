import type { TokenUsage } from '../ports/writer';

/**
 * US dollars per million tokens. Cache writes cost 1.25× input with the 5-minute TTL and 2×
 * with the 1-hour TTL; cache reads 0.1× input (Anthropic's prompt-caching pricing, as listed
 * on 2026-12-02: https://platform.claude.com/docs/en/build-with-claude/prompt-caching).
 */
interface Price {
  input: number;
  output: number;
}

/**
 * List prices by model family, matched on the model id. An estimate for the budget report,
 * not a bill: update it when prices change; an unknown family is priced as Sonnet.
 */
const PRICES: readonly [RegExp, Price][] = [
  [/haiku/i, { input: 1, output: 5 }],
  [/opus/i, { input: 5, output: 25 }],
  [/sonnet/i, { input: 3, output: 15 }],
];
const DEFAULT_PRICE: Price = { input: 3, output: 15 };
const CACHE_WRITE_5M = 1.25;
const CACHE_WRITE_1H = 2;

export function estimateCostUsd(model: string, usage: TokenUsage): number {
  const price = PRICES.find(([pattern]) => pattern.test(model))?.[1] ?? DEFAULT_PRICE;
  const oneHour = Math.min(usage.cacheWrite1hTokens ?? 0, usage.cacheWriteTokens);
  const dollars =
    (usage.inputTokens * price.input +
      (usage.cacheWriteTokens - oneHour) * price.input * CACHE_WRITE_5M +
      oneHour * price.input * CACHE_WRITE_1H +
      usage.cacheReadTokens * price.input * 0.1 +
      usage.outputTokens * price.output) /
    1_000_000;
  return Math.round(dollars * 1_000_000) / 1_000_000;
}

/** Everything the API processed for the call: what the daily budget counts. */
export function totalTokens(usage: TokenUsage): number {
  return usage.inputTokens + usage.outputTokens + usage.cacheWriteTokens + usage.cacheReadTokens;
}

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    cacheWriteTokens: a.cacheWriteTokens + b.cacheWriteTokens,
    ...(a.cacheWrite1hTokens || b.cacheWrite1hTokens ? { cacheWrite1hTokens: (a.cacheWrite1hTokens ?? 0) + (b.cacheWrite1hTokens ?? 0) } : {}),
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
  };
}

export const NO_USAGE: TokenUsage = { inputTokens: 0, outputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0 };
