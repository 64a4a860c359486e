/* Order-independent summary statistics shared by the digest's metrics and DORA. */

/** Arithmetic mean (summed in ascending order, so the result never depends on input order); null when empty. */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  return [...values].sort((a, b) => a - b).reduce((sum, v) => sum + v, 0) / values.length;
}

/** Middle value; for an even count, the mean of the two middle values; null when empty. */
export function median(values: readonly number[]): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return null;
  const upper = sorted[Math.floor(n / 2)] ?? 0;
  return n % 2 === 1 ? upper : ((sorted[n / 2 - 1] ?? 0) + upper) / 2;
}

/** Nearest-rank percentile: the value at 1-based position ⌈p/100 × n⌉ of the ascending list; null when empty. */
export function percentileNearestRank(values: readonly number[], percent: number): number | null {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((percent * sorted.length) / 100)));
  return sorted[rank - 1] ?? null;
}
