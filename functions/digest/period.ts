import { Cron } from 'croner';

/** Weekdays at 09:00: the EventBridge Scheduler cron body (minutes hours day-of-month month day-of-week year). */
export const DEFAULT_DIGEST_CRON = '0 9 ? * MON-FRI *';

/** The time zone the schedule, the period and the calendar month are read in. */
export const DEFAULT_DIGEST_TIME_ZONE = 'America/New_York';

/** The six fields of an EventBridge Scheduler cron body, in order. */
const FIELD_NAMES = ['minutes', 'hours', 'day-of-month', 'month', 'day-of-week', 'year'] as const;

export interface DigestPeriod {
  /** Start of the period (inclusive). */
  from: Date;
  /** End of the period (exclusive): the scheduled fire time this digest belongs to. */
  to: Date;
  /** `to` as `YYYY-MM-DDTHH:mm` in the time zone: the stable id of the period. */
  key: string;
}

/**
 * The period a digest covers. `to` is the most recent scheduled fire time at or before `now`
 * (so a late or manual run in the same period gets the same `key`); `from` is
 * `previousDigestTo` when given, else the scheduled fire time before `to` (so Monday's digest
 * covers Friday 09:00 → Monday 09:00). Throws when the schedule has never fired by `now`, when
 * it has no earlier fire time and no `previousDigestTo`, or when `previousDigestTo` is not
 * before `to` (a digest for this period was already sent: check `key` first).
 */
export function digestPeriod(options: { now: Date; cron: string; timeZone: string; previousDigestTo?: Date }): DigestPeriod {
  const { now, cron, timeZone, previousDigestTo } = options;
  const job = compileSchedule(cron, timeZone);
  // previousRuns is strictly before its reference, but includes a run earlier in the same
  // second: one millisecond later makes a run exactly at `now` count as "at or before".
  const [to] = job.previousRuns(1, new Date(now.getTime() + 1));
  if (!to) throw new Error(`Digest schedule "${cron}" (${timeZone}) has no fire time at or before ${now.toISOString()}`);
  let from: Date;
  if (previousDigestTo) {
    if (!(previousDigestTo.getTime() < to.getTime())) {
      throw new RangeError(`previousDigestTo ${previousDigestTo.toISOString()} is not before the period end ${to.toISOString()}`);
    }
    from = previousDigestTo;
  } else {
    const [previous] = job.previousRuns(1, to);
    if (!previous) throw new Error(`Digest schedule "${cron}" (${timeZone}) has no fire time before ${to.toISOString()}`);
    from = previous;
  }
  return { from, to, key: periodKey(to, timeZone) };
}

/** `date` as `YYYY-MM-DDTHH:mm` in `timeZone` (24-hour clock). */
export function periodKey(date: Date, timeZone: string): string {
  const p = zonedParts(date, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/**
 * Checks an EventBridge Scheduler cron body and a time zone; throws an Error naming the bad
 * part (the time zone, the field count, or the field by name and value).
 */
export function validateCron(cron: string, timeZone: string): void {
  if (!isTimeZone(timeZone)) throw new Error(`Digest time zone "${timeZone}" is not a valid IANA time zone`);
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== FIELD_NAMES.length) {
    throw new Error(`Digest schedule "${cron}": expected ${FIELD_NAMES.length} fields (${FIELD_NAMES.join(' ')}), got ${cron.trim() ? fields.length : 0}`);
  }
  fields.forEach((value, index) => {
    const name = FIELD_NAMES[index] ?? `field ${index + 1}`;
    // Each field alone, the others wildcards, so croner's error is pinned to this field.
    const probe = ['0', '0', '0', '?', '*', '?', '*'];
    probe[index + 1] = value;
    try {
      new Cron(probe.join(' '), cronOptions(timeZone));
    } catch (error) {
      throw new Error(`Digest schedule "${cron}": invalid ${name} field "${value}" (${messageOf(error)})`);
    }
  });
  const dayOfWeek = fields[4] ?? '';
  const outOfRange = dayOfWeek
    .replace(/#\d+/g, '')
    .match(/\d+/g)
    ?.find((n) => Number(n) < 1 || Number(n) > 7);
  if (outOfRange !== undefined) {
    throw new Error(`Digest schedule "${cron}": invalid day-of-week field "${dayOfWeek}" (${outOfRange} is outside 1-7, 1 = Sunday)`);
  }
  if (fields[2] !== '?' && fields[4] !== '?') {
    throw new Error(`Digest schedule "${cron}": day-of-month "${fields[2]}" or day-of-week "${fields[4]}" must be "?" (EventBridge rule)`);
  }
  try {
    new Cron(toCronerPattern(cron), cronOptions(timeZone));
  } catch (error) {
    throw new Error(`Digest schedule "${cron}": ${messageOf(error)}`);
  }
}

/**
 * Local stand-in for EventBridge Scheduler: runs `run` at every fire time of the same cron body
 * and time zone. The timer is unref'd (it never keeps the process alive), a run still in
 * progress blocks the next one, and a failing run is left to `run` to report (errors are caught).
 */
export function startDigestSchedule(cron: string, timeZone: string, run: () => Promise<unknown>): { stop: () => void } {
  validateCron(cron, timeZone);
  const job = new Cron(toCronerPattern(cron), { ...cronOptions(timeZone), paused: false, unref: true, protect: true, catch: true }, async () => {
    await run();
  });
  return { stop: () => job.stop() };
}

/** A validated, paused croner job for an EventBridge cron body: it only evaluates, never fires. */
function compileSchedule(cron: string, timeZone: string): Cron {
  validateCron(cron, timeZone);
  return new Cron(toCronerPattern(cron), cronOptions(timeZone));
}

/** croner's 7-part pattern: a seconds field `0` before the six EventBridge fields. */
function toCronerPattern(cron: string): string {
  return `0 ${cron.trim().split(/\s+/).join(' ')}`;
}

/** EventBridge numbers weekdays 1 = Sunday (Quartz style), and `?` is croner's wildcard alias. */
function cronOptions(timeZone: string) {
  return { mode: '7-part', alternativeWeekdays: true, timezone: timeZone, paused: true } as const;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isTimeZone(timeZone: string): boolean {
  if (!timeZone.trim()) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/* ---- Calendar arithmetic in a time zone, shared with the digest metrics. ---- */

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
