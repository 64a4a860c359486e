/*
 * Calendar arithmetic in a time zone (wall-clock parts, a wall time's instant, the month and the
 * quarter around an instant), from the Intl API's zone data. Shared by the digest, the weekly
 * update and the ask tools; the schedule (croner) lives apart in period.ts, so a function that
 * only reads time in a zone does not load a cron parser.
 */

/** True when the Intl API knows the zone (an IANA name such as `America/New_York`). */
export function isTimeZone(timeZone: string): boolean {
  if (!timeZone.trim()) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** Two digits, zero-padded. */
export function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export interface ZonedParts {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  /** 0-23 */
  hour: number;
  minute: number;
  second: number;
  /** Mon, Tue, ... */
  weekday: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock fields of an instant in a time zone. */
export function zonedParts(date: Date, timeZone: string): ZonedParts {
  const parts: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(date)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: parts.weekday ?? '',
  };
}

/** Milliseconds the time zone is ahead of UTC at an instant (−4 h = −14 400 000 for EDT). */
function offsetMs(instant: number, timeZone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  const p = zonedParts(new Date(whole), timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - whole;
}

/**
 * The instant a wall-clock time occurs in a time zone (month 1-12). A time that occurs twice
 * gives its first occurrence; a time in a DST gap is moved forward by the length of the gap
 * (so a midnight that does not exist gives the instant the gap ends).
 */
export function zonedTimeToUtc(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const candidates = [...new Set([offsetMs(wall - 86_400_000, timeZone), offsetMs(wall + 86_400_000, timeZone), offsetMs(wall, timeZone)])]
    .map((offset) => wall - offset)
    .filter((instant) => instant - wall + offsetMs(instant, timeZone) === 0)
    .sort((a, b) => a - b);
  const [first] = candidates;
  if (first !== undefined) return new Date(first);
  // In a gap: the wall time never occurs; the first instant after the gap is when it ends.
  const before = wall - offsetMs(wall - 86_400_000, timeZone);
  const after = wall - offsetMs(wall + 86_400_000, timeZone);
  return new Date(Math.max(before, after));
}

/** The calendar month containing `date` in a time zone: [start, end) as instants. */
export function zonedMonth(date: Date, timeZone: string): { start: Date; end: Date } {
  const { year, month } = zonedParts(date, timeZone);
  const next = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
  return { start: zonedTimeToUtc(year, month, 1, 0, 0, timeZone), end: zonedTimeToUtc(next.year, next.month, 1, 0, 0, timeZone) };
}

/** The calendar quarter (Jan, Apr, Jul, Oct) containing `date` in a time zone: [start, end) as instants. */
export function zonedQuarter(date: Date, timeZone: string): { start: Date; end: Date } {
  const { year, month } = zonedParts(date, timeZone);
  const first = Math.floor((month - 1) / 3) * 3 + 1;
  const next = first === 10 ? { year: year + 1, month: 1 } : { year, month: first + 3 };
  return { start: zonedTimeToUtc(year, first, 1, 0, 0, timeZone), end: zonedTimeToUtc(next.year, next.month, 1, 0, 0, timeZone) };
}
