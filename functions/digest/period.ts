import { Cron } from 'croner';
import { isTimeZone, pad, zonedParts } from './zoned-time';

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
  compileSchedule(cron, timeZone);
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

/**
 * A validated, paused croner job for an EventBridge cron body: it only evaluates, never fires.
 * A valid schedule costs one parse; only a schedule croner refuses is parsed again field by
 * field, to name the field at fault (each parse in a zone is a few milliseconds of cold start).
 */
function compileSchedule(cron: string, timeZone: string): Cron {
  if (!isTimeZone(timeZone)) throw new Error(`Digest time zone "${timeZone}" is not a valid IANA time zone`);
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== FIELD_NAMES.length) {
    throw new Error(`Digest schedule "${cron}": expected ${FIELD_NAMES.length} fields (${FIELD_NAMES.join(' ')}), got ${cron.trim() ? fields.length : 0}`);
  }
  let job: Cron | undefined;
  let refusal: unknown;
  try {
    job = new Cron(toCronerPattern(cron), cronOptions(timeZone));
  } catch (error) {
    refusal = error;
    fields.forEach((value, index) => assertField(cron, value, index, timeZone));
  }
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
  if (!job) throw new Error(`Digest schedule "${cron}": ${messageOf(refusal)}`);
  return job;
}

/** One field alone, the others wildcards, so croner's error is pinned to this field. */
function assertField(cron: string, value: string, index: number, timeZone: string): void {
  const probe = ['0', '0', '0', '?', '*', '?', '*'];
  probe[index + 1] = value;
  try {
    new Cron(probe.join(' '), cronOptions(timeZone));
  } catch (error) {
    throw new Error(`Digest schedule "${cron}": invalid ${FIELD_NAMES[index] ?? `field ${index + 1}`} field "${value}" (${messageOf(error)})`);
  }
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
