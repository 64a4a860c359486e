import { pagerDutyIncidentScenario } from '../../local/scenarios/pagerduty-incident';

const DAY_MINUTES = 24 * 60;

/**
 * When in the assumed day each document kind is written (minutes after midnight): incidents start
 * at any hour (spread over the 24 hours by a fixed seed), each followed by its replies at the
 * PagerDuty scenario's own offsets; approval requests spread over 09:00–18:00; the digest at 09:00.
 * Only the gaps matter: they decide how often a prompt cache has expired when a document comes.
 */
export function documentMinutes(mix: { incidents: number; approvals: number }): Record<string, number[]> {
  const offsets = pagerDutyIncidentScenario({ incidentId: 'QCACHEDAY', start: new Date(0) }).map((d) => {
    const body = JSON.parse(d.body) as { event: { occurred_at: string } };
    return Date.parse(body.event.occurred_at) / 60_000;
  });
  const random = seeded(21);
  const starts = Array.from({ length: mix.incidents }, () => random() * DAY_MINUTES);
  const replies = offsets.slice(1, -1);
  const last = offsets.at(-1) ?? 0;
  return {
    'incident.brief': starts,
    'incident.update': starts.flatMap((start) => replies.map((offset) => start + offset)),
    'incident.closing': starts.map((start) => start + last),
    'approval.request': Array.from({ length: mix.approvals }, (_, i) => 9 * 60 + ((i + 0.5) * 9 * 60) / mix.approvals),
    digest: [9 * 60],
  };
}

/**
 * Cache writes in a day for documents at `minutes`, sharing one cache that lives `ttlMinutes`
 * after its last use: a document writes when the previous one (the day wraps round) is older.
 */
export function cacheWritesPerDay(minutes: readonly number[], ttlMinutes: number): number {
  const sorted = [...minutes].map((m) => m % DAY_MINUTES).sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  let writes = 0;
  sorted.forEach((at, i) => {
    const previous = i === 0 ? (sorted.at(-1) ?? 0) - DAY_MINUTES : (sorted[i - 1] ?? 0);
    if (at - previous > ttlMinutes) writes += 1;
  });
  return Math.max(1, writes);
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}
