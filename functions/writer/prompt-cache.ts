import type { CacheControlEphemeral } from '@anthropic-ai/sdk/resources/messages';

/**
 * The persona's cache lifetime. Documents are sparse (a standard-tier document every few
 * minutes at best, none for hours at night), so a 5-minute entry mostly expires before the next
 * one and every document pays a write; a 1-hour entry costs 2× input once instead of 1.25×
 * almost every time, and each read refreshes it.
 */
export const PERSONA_CACHE_TTL: NonNullable<CacheControlEphemeral['ttl']> = '1h';

/**
 * Shortest prefix (tokens) the API caches, by model family and version; a shorter one is billed
 * as plain input and reported with no cache write or read. Documented values as listed on
 * 2026-12-02 (https://platform.claude.com/docs/en/build-with-claude/prompt-caching): Sonnet 4.5
 * and older 1,024, Sonnet 4.6 2,048, Haiku 4.5 4,096, Opus 4.5 and 4.6 4,096. For ids newer
 * than the table (the 5.x models the tiers use) we ASSUME the newest documented value of the
 * family until the documentation says otherwise.
 */
const MIN_CACHEABLE: readonly [RegExp, number][] = [
  [/sonnet-4-5|sonnet-4-(?:20|0)|sonnet-3/, 1024],
  [/haiku-3/, 2048],
  [/opus-4-(?:0|1|20)/, 1024],
  [/haiku/, 4096],
  [/opus/, 4096],
  [/sonnet/, 2048],
];

export function minCacheableTokens(model: string): number {
  return MIN_CACHEABLE.find(([pattern]) => pattern.test(model))?.[1] ?? 4096;
}
