/** How long the outbox keeps trying before it marks a document failed. */
export const DEFAULT_MAX_AGE_MS = 24 * 60 * 60 * 1000;

const FIRST_DELAY_MS = 5_000;
const MAX_DELAY_MS = 5 * 60_000;

/**
 * Delay before attempt `attempts + 1`: 5 s doubling to a 5-minute ceiling, so a document is
 * delivered within about five minutes of Slack's return however long it was down. A tenth of
 * jitter keeps many pending documents from retrying in lockstep.
 */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.9 + 0.2 * random()));
}
