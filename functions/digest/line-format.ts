/* Wording shared by the digest's lines. */

/** `1 incident`, `3 incidents`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** +33%, -25%, or `no change`. */
export function formatChange(ratio: number): string {
  if (ratio === 0) return 'no change';
  const percent = Math.round(ratio * 100);
  return `${percent > 0 || (percent === 0 && ratio > 0) ? '+' : '-'}${Math.abs(percent)}%`;
}

/** `2 hires: Staff Platform Engineer, Engineering Manager`, or `1 hire (role not recorded)` when no role is known. */
export function hiresLine(hires: readonly { job?: string | null }[]): string {
  const jobs = hires.map((hire) => hire.job);
  const known = jobs.filter((job): job is string => !!job);
  if (known.length === 0) return `${plural(hires.length, 'hire')} (role not recorded)`;
  return `${plural(hires.length, 'hire')}: ${jobs.map((job) => job || 'role not recorded').join(', ')}`;
}
