import type { RoutedDocument } from './model-documents';

const DAY_MINUTES = 24 * 60;

/**
 * When in the assumed day each kind's model documents are written (minutes after midnight):
 * incidents start at any hour (spread over the 24 hours by a fixed seed), each followed by the
 * model documents the service asked for in a sampled incident of the PagerDuty scenario, at their
 * offsets in it (`incidentDocuments`, from scripts/bench/cost.ts); approval requests spread over
 * 09:00–18:00; the digest at 09:00. Only the gaps matter: they decide how often a prompt cache
 * has expired when a document comes.
 */
export function documentMinutes(mix: { incidents: number; approvals: number }, incidentDocuments: readonly RoutedDocument[]): Record<string, number[]> {
  const timelines = new Map<string, { kind: string; minute: number }[]>();
  for (const { kind, at } of incidentDocuments) {
    if (!at) continue;
    const timeline = timelines.get(at.scenario) ?? [];
    timeline.push({ kind, minute: at.minute });
    timelines.set(at.scenario, timeline);
  }
  const sampled = [...timelines.values()];
  const random = seeded(21);
  const minutes: Record<string, number[]> = {
    'approval.request': Array.from({ length: mix.approvals }, (_, i) => 9 * 60 + ((i + 0.5) * 9 * 60) / mix.approvals),
    digest: [9 * 60],
  };
  for (let i = 0; i < mix.incidents && sampled.length > 0; i += 1) {
    const start = random() * DAY_MINUTES;
    for (const document of sampled[i % sampled.length] ?? []) (minutes[document.kind] ??= []).push(start + document.minute);
  }
  return minutes;
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
