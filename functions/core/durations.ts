/** Milliseconds between two ISO instants, or undefined when either is missing or the order is impossible. */
export function elapsedMs(from: string | undefined, to: string | undefined): number | undefined {
  if (!from || !to) return undefined;
  const ms = Date.parse(to) - Date.parse(from);
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/** A duration as an executive reads it: `45 s`, `12 min`, `1 h 05 min`, `2 d 3 h`. */
export function formatDuration(ms: number): string {
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 60) return `${totalSeconds} s`;
  const totalMinutes = Math.floor(totalSeconds / 60);
  if (totalMinutes < 60) {
    const seconds = totalSeconds % 60;
    return totalMinutes < 10 && seconds > 0 ? `${totalMinutes} min ${seconds} s` : `${totalMinutes} min`;
  }
  const totalHours = Math.floor(totalMinutes / 60);
  if (totalHours < 24) return `${totalHours} h ${String(totalMinutes % 60).padStart(2, '0')} min`;
  return `${Math.floor(totalHours / 24)} d ${totalHours % 24} h`;
}

/** An instant in UTC, e.g. `14:05 UTC, 24 Nov 2026`: unambiguous for readers in any time zone. */
export function formatInstant(iso: string): string {
  const date = new Date(iso);
  const time = date.toISOString().slice(11, 16);
  const day = date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  return `${time} UTC, ${day}`;
}
