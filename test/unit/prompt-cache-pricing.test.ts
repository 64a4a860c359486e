import { describe, expect, it } from 'vitest';
import { estimateCostUsd } from '../../functions/writer/pricing';
import { minCacheableTokens } from '../../functions/writer/prompt-cache';
import { cacheWritesPerDay } from '../../scripts/bench/cache-day';

describe('prompt cache pricing', () => {
  it('prices a 5-minute cache write at 1.25× input, a 1-hour one at 2×, a read at 0.1×', () => {
    const none = { inputTokens: 0, outputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0 };
    expect(estimateCostUsd('claude-haiku-5-5', { ...none, cacheWriteTokens: 1_000_000 })).toBeCloseTo(1.25, 6);
    expect(estimateCostUsd('claude-haiku-5-5', { ...none, cacheWriteTokens: 1_000_000, cacheWrite1hTokens: 1_000_000 })).toBeCloseTo(2, 6);
    expect(estimateCostUsd('claude-sonnet-5-5', { ...none, cacheWriteTokens: 1_000_000, cacheWrite1hTokens: 400_000 })).toBeCloseTo(0.6 * 3.75 + 0.4 * 6, 6);
    expect(estimateCostUsd('claude-sonnet-5-5', { ...none, cacheReadTokens: 1_000_000 })).toBeCloseTo(0.3, 6);
  });

  it('knows the documented minimum cacheable prefixes and assumes the newest of a family for newer ids', () => {
    expect(minCacheableTokens('claude-sonnet-4-5')).toBe(1024);
    expect(minCacheableTokens('claude-sonnet-4-6')).toBe(2048);
    expect(minCacheableTokens('claude-haiku-4-5')).toBe(4096);
    expect(minCacheableTokens('claude-opus-4-6')).toBe(4096);
    expect(minCacheableTokens('claude-sonnet-5-5')).toBe(2048);
    expect(minCacheableTokens('claude-haiku-5-5')).toBe(4096);
  });
});

describe('cache writes in a day', () => {
  it('writes when the previous use is older than the TTL, the day wrapping round', () => {
    // 09:00, 09:03, 09:30, 15:00: with 5 minutes, three writes; with an hour, two (09:00 after the night, 15:00).
    const at = [540, 543, 570, 900];
    expect(cacheWritesPerDay(at, 5)).toBe(3);
    expect(cacheWritesPerDay(at, 60)).toBe(2);
    expect(cacheWritesPerDay([], 60)).toBe(0);
  });
});
