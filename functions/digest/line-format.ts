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
