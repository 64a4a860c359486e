import { zonedParts, zonedTimeToUtc } from '../digest/zoned-time';

/*
 * Working hours, as `WORKING_HOURS` states them: `09:00-18:00` (Monday to Friday), or with the
 * days named, `09:00-18:00 Mon-Sat` / `08:30-17:30 Mon,Tue,Wed,Thu`. Read in the digest's time
 * zone. A page outside them is "after hours": at night on a working day, or at the weekend on
 * any other day.
 */

export const DEFAULT_WORKING_HOURS = '09:00-18:00';

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const DEFAULT_DAYS = [1, 2, 3, 4, 5];

export interface WorkingHours {
  /** Minutes after local midnight the working day starts and ends (start < end). */
  startMinute: number;
  endMinute: number;
  /** Working weekdays, 0 = Sunday. */
  days: number[];
  timeZone: string;
}

/** Parses `HH:MM-HH:MM[ days]`; throws an Error saying what is wrong (the caller names the variable). */
export function parseWorkingHours(raw: string, timeZone: string): WorkingHours {
  const match = /^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})(?:\s+(.+?))?\s*$/.exec(raw);
  if (!match) throw new Error(`"${raw}" is not working hours: expected e.g. "09:00-18:00" or "09:00-18:00 Mon-Fri"`);
  const [, h1, m1, h2, m2, daysText] = match;
  const minute = (h: string | undefined, m: string | undefined) => {
    const hours = Number(h);
    const minutes = Number(m);
    if (hours > 24 || minutes > 59 || (hours === 24 && minutes > 0)) throw new Error(`"${raw}": ${h}:${m} is not a time of day`);
    return hours * 60 + minutes;
  };
  const startMinute = minute(h1, m1);
  const endMinute = minute(h2, m2);
  if (startMinute >= endMinute) throw new Error(`"${raw}": the working day must end after it starts (overnight shifts are not supported)`);
  return { startMinute, endMinute, days: daysText ? parseDays(daysText, raw) : DEFAULT_DAYS, timeZone };
}

function parseDays(text: string, raw: string): number[] {
  const index = (name: string) => {
    const i = DAY_NAMES.findIndex((day) => day.toLowerCase() === name.trim().slice(0, 3).toLowerCase());
    if (i < 0) throw new Error(`"${raw}": "${name}" is not a weekday (Mon, Tue, …)`);
    return i;
  };
  const days = new Set<number>();
  for (const part of text.split(',')) {
    const [from, to] = part.split('-');
    if (from === undefined) continue;
    if (to === undefined) {
      days.add(index(from));
      continue;
    }
    // A range wraps past Saturday: Fri-Mon is Fri, Sat, Sun, Mon.
    for (let day = index(from); ; day = (day + 1) % 7) {
      days.add(day);
      if (day === index(to)) break;
    }
  }
  return [...days].sort((a, b) => a - b);
}

export type PageTime = 'working' | 'night' | 'weekend';

/** When an instant falls: in working hours, at night (a working day, outside its hours) or at the weekend (a day off). */
export function classifyInstant(at: Date, hours: WorkingHours): PageTime {
  const p = zonedParts(at, hours.timeZone);
  const day = DAY_NAMES.indexOf(p.weekday as (typeof DAY_NAMES)[number]);
  if (!hours.days.includes(day)) return 'weekend';
  const minute = p.hour * 60 + p.minute;
  return minute >= hours.startMinute && minute < hours.endMinute ? 'working' : 'night';
}

/**
 * The off-hours stretch an after-hours instant belongs to, named by the start of the next
 * working day (`YYYY-MM-DD` in the zone): Thursday night is the stretch before Friday, and
 * Friday evening, the weekend and Monday before 09:00 are one stretch before Monday. Two
 * stretches are consecutive when nothing but one working day lies between them.
 */
export function offHoursStretch(at: Date, hours: WorkingHours): { next: string; index: number } {
  const p = zonedParts(at, hours.timeZone);
  // Walk day by day (at most a week) to the first working-day start after the instant.
  for (let offset = 0; offset <= 8; offset += 1) {
    const noon = zonedTimeToUtc(p.year, p.month, p.day + offset, 12, 0, hours.timeZone);
    const d = zonedParts(noon, hours.timeZone);
    const weekday = DAY_NAMES.indexOf(d.weekday as (typeof DAY_NAMES)[number]);
    if (!hours.days.includes(weekday)) continue;
    const start = zonedTimeToUtc(d.year, d.month, d.day, Math.floor(hours.startMinute / 60), hours.startMinute % 60, hours.timeZone);
    if (start.getTime() > at.getTime()) {
      const next = `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
      return { next, index: workingDayIndex(d.year, d.month, d.day, hours.days) };
    }
  }
  throw new Error('no working day within a week: WORKING_HOURS names no day');
}

/** A running count of working days (from the epoch), so consecutive working days differ by one. */
function workingDayIndex(year: number, month: number, day: number, days: readonly number[]): number {
  const epochDay = Math.floor(Date.UTC(year, month - 1, day) / 86_400_000);
  // 1 Jan 1970 was a Thursday (4).
  const weeks = Math.floor(epochDay / 7);
  const rest = epochDay - weeks * 7;
  let count = weeks * days.length;
  for (let i = 0; i < rest; i += 1) if (days.includes((4 + i) % 7)) count += 1;
  return count;
}
