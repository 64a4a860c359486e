import type { DigestInput } from '../../functions/digest/metrics';

// Tue 24 Nov 2026 09:00 EST (UTC−5) = 14:00Z; the period is Mon 09:00 → Tue 09:00.
export const DIGEST_NOW = new Date('2026-11-24T14:00:00.000Z');
export const DIGEST_PERIOD = { from: new Date('2026-11-23T14:00:00.000Z'), to: DIGEST_NOW };
export const DIGEST_PREVIOUS_PERIOD = { from: new Date('2026-11-20T14:00:00.000Z'), to: DIGEST_PERIOD.from };

/** A digest input with nothing in it (New York time, a 99.99% objective), plus what the test sets. */
export function emptyDigestInput(overrides: Partial<DigestInput> = {}): DigestInput {
  return {
    period: DIGEST_PERIOD,
    previousPeriod: DIGEST_PREVIOUS_PERIOD,
    now: DIGEST_NOW,
    timeZone: 'America/New_York',
    incidents: [],
    issuesDone: [],
    previousIssuesDone: [],
    approvals: { pending: [], decidedInPeriod: [] },
    hiring: [],
    slo: { target: 0.9999 },
    ...overrides,
  };
}
