import type { TokenUsage } from '../ports/writer';

/** US dollars per million tokens. Cache writes (5-minute) cost 1.25× input, cache reads 0.1× input. */
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

export function estimateCostUsd(model: string, usage: TokenUsage): number {
  const price = PRICES.find(([pattern]) => pattern.test(model))?.[1] ?? DEFAULT_PRICE;
  const dollars =
    (usage.inputTokens * price.input +
      usage.cacheWriteTokens * price.input * 1.25 +
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
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
  };
}

export const NO_USAGE: TokenUsage = { inputTokens: 0, outputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0 };
