import { describe, expect, it, vi } from 'vitest';
import { loadAskConfig } from '../../functions/ask/ask-config';
import { loadDigestConfig } from '../../functions/digest/digest-config';
import { loadWeeklyConfig } from '../../functions/weekly/weekly-config';
import { DEFAULT_DIGEST_CRON, DEFAULT_DIGEST_TIME_ZONE, digestPeriod, periodKey, startDigestSchedule, validateCron } from '../../functions/digest/period';
import { zonedMonth, zonedTimeToUtc } from '../../functions/digest/zoned-time';

// croner, counting its parses, refused ones too (a delegate, nothing else changed): each parse in a zone costs cold start.
const parses = vi.hoisted(() => ({ count: 0 }));
vi.mock('croner', async (original) => {
  const actual = await original<typeof import('croner')>();
  class CountedCron extends actual.Cron {
    constructor(pattern: string, ...rest: unknown[]) {
      parses.count += 1;
      super(pattern, ...(rest as []));
    }
  }
  return { ...actual, Cron: CountedCron };
});

const HOUR = 3_600_000;
const DAY_MS = 24 * HOUR;
const schedule = { cron: DEFAULT_DIGEST_CRON, timeZone: DEFAULT_DIGEST_TIME_ZONE };

describe('digestPeriod', () => {
  it('a Tuesday 09:00 New York digest covers Monday 09:00 → Tuesday 09:00 (24 h)', () => {
    // Tue 24 Nov 2026 09:00 EST (UTC−5) = 14:00Z.
    const period = digestPeriod({ ...schedule, now: new Date('2026-11-24T14:00:00.000Z') });
    expect(period.from.toISOString()).toBe('2026-11-23T14:00:00.000Z');
    expect(period.to.toISOString()).toBe('2026-11-24T14:00:00.000Z');
    expect(period.to.getTime() - period.from.getTime()).toBe(24 * HOUR);
    expect(period.key).toBe('2026-11-24T09:00');
  });

  it("Monday's digest covers Friday 09:00 → Monday 09:00, the weekend included (72 h)", () => {
    const period = digestPeriod({ ...schedule, now: new Date('2026-11-23T14:00:00.000Z') });
    expect(period.from.toISOString()).toBe('2026-11-20T14:00:00.000Z');
    expect(period.to.toISOString()).toBe('2026-11-23T14:00:00.000Z');
    expect(period.to.getTime() - period.from.getTime()).toBe(72 * HOUR);
    expect(period.key).toBe('2026-11-23T09:00');
  });

  it('across the end of US DST (Sun 1 Nov 2026) the Friday → Monday window is 73 hours of real time', () => {
    // Fri 30 Oct 09:00 EDT (UTC−4) = 13:00Z; Mon 2 Nov 09:00 EST (UTC−5) = 14:00Z: 3 days + 1 h.
    const period = digestPeriod({ ...schedule, now: new Date('2026-11-02T14:00:00.000Z') });
    expect(period.from.toISOString()).toBe('2026-10-30T13:00:00.000Z');
    expect(period.to.toISOString()).toBe('2026-11-02T14:00:00.000Z');
    expect(period.to.getTime() - period.from.getTime()).toBe(73 * HOUR);
    expect(period.key).toBe('2026-11-02T09:00');
  });

  it('a late run at 09:07 has the same period and key as the 09:00 run; 08:59 belongs to the previous period', () => {
    const onTime = digestPeriod({ ...schedule, now: new Date('2026-11-24T14:00:00.000Z') });
    const late = digestPeriod({ ...schedule, now: new Date('2026-11-24T14:07:31.250Z') });
    const early = digestPeriod({ ...schedule, now: new Date('2026-11-24T13:59:00.000Z') });
    expect(late).toEqual(onTime);
    expect(early.key).toBe('2026-11-23T09:00');
  });

  it('a manual run on a Saturday belongs to Friday 09:00', () => {
    const period = digestPeriod({ ...schedule, now: new Date('2026-11-28T15:00:00.000Z') });
    expect(period.key).toBe('2026-11-27T09:00');
    expect(period.from.toISOString()).toBe('2026-11-26T14:00:00.000Z');
  });

  it('previousDigestTo overrides from', () => {
    const previousDigestTo = new Date('2026-11-20T14:00:00.000Z');
    const period = digestPeriod({ ...schedule, now: new Date('2026-11-24T14:00:00.000Z'), previousDigestTo });
    expect(period.from).toEqual(previousDigestTo);
    expect(period.to.toISOString()).toBe('2026-11-24T14:00:00.000Z');
    expect(period.key).toBe('2026-11-24T09:00');
  });

  it('refuses a previousDigestTo that is not before the period end', () => {
    expect(() => digestPeriod({ ...schedule, now: new Date('2026-11-24T14:00:00.000Z'), previousDigestTo: new Date('2026-11-24T14:00:00.000Z') })).toThrow(
      /previousDigestTo/,
    );
  });

  it('uses EventBridge weekday numbers (1 = Sunday) and another time zone', () => {
    // 2 = Monday in EventBridge; 08:30 in London (GMT in November) = 08:30Z.
    const period = digestPeriod({ cron: '30 8 ? * 2 *', timeZone: 'Europe/London', now: new Date('2026-11-25T12:00:00.000Z') });
    expect(period.to.toISOString()).toBe('2026-11-23T08:30:00.000Z');
    expect(period.from.toISOString()).toBe('2026-11-16T08:30:00.000Z');
    expect(period.key).toBe('2026-11-23T08:30');
  });

  it('throws when the schedule has never fired by now', () => {
    expect(() => digestPeriod({ ...schedule, cron: '0 9 ? * MON-FRI 2099', now: new Date('2026-11-24T14:00:00.000Z') })).toThrow(/no fire time at or before/);
  });
});

describe('validateCron', () => {
  it('accepts the default schedule', () => {
    expect(() => validateCron(DEFAULT_DIGEST_CRON, DEFAULT_DIGEST_TIME_ZONE)).not.toThrow();
  });

  it.each([
    ['0 25 ? * MON-FRI *', /invalid hours field "25"/],
    ['61 9 ? * MON-FRI *', /invalid minutes field "61"/],
    ['0 9 ? * MON-FOO *', /invalid day-of-week field "MON-FOO"/],
    ['0 9 ? * 8 *', /invalid day-of-week field "8"/],
    ['0 9 ? 13 MON *', /invalid month field "13"/],
    ['0 9 32 * ? *', /invalid day-of-month field "32"/],
    ['0 9 ? * MON-FRI', /expected 6 fields/],
    ['0 9 * * MON-FRI *', /must be "\?"/],
  ])('names the bad part of %s', (cron, message) => {
    expect(() => validateCron(cron, DEFAULT_DIGEST_TIME_ZONE)).toThrow(message);
    expect(() => digestPeriod({ cron, timeZone: DEFAULT_DIGEST_TIME_ZONE, now: new Date() })).toThrow(message);
  });

  it('names an invalid time zone', () => {
    expect(() => validateCron(DEFAULT_DIGEST_CRON, 'Mars/Olympus_Mons')).toThrow(/time zone "Mars\/Olympus_Mons"/);
    expect(() => validateCron(DEFAULT_DIGEST_CRON, '')).toThrow(/time zone ""/);
  });

  it('parses a valid schedule once; only a refused one is parsed again, field by field, to name the field', () => {
    parses.count = 0;
    validateCron(DEFAULT_DIGEST_CRON, DEFAULT_DIGEST_TIME_ZONE);
    expect(parses.count).toBe(1);
    parses.count = 0;
    expect(() => validateCron('0 25 ? * MON-FRI *', DEFAULT_DIGEST_TIME_ZONE)).toThrow(/hours/);
    expect(parses.count).toBeGreaterThan(1);
  });
});

describe('the digest settings the weekly update and the ask tools share', () => {
  it("only the digest reads the digest's schedule; a bad zone is refused by all three, naming DIGEST_TIME_ZONE", () => {
    const badSchedule = { DIGEST_SCHEDULE: '0 25 ? * MON-FRI *' };
    expect(() => loadDigestConfig(badSchedule)).toThrow(/DIGEST_SCHEDULE.*invalid hours field "25"/);
    expect(loadWeeklyConfig(badSchedule).digest.timeZone).toBe(DEFAULT_DIGEST_TIME_ZONE);
    expect(loadAskConfig(badSchedule, ['U0VP']).digest).not.toHaveProperty('cron');
    const badZone = { DIGEST_TIME_ZONE: 'Mars/Olympus_Mons' };
    for (const load of [() => loadDigestConfig(badZone), () => loadWeeklyConfig(badZone), () => loadAskConfig(badZone, ['U0VP'])]) {
      expect(load).toThrow(/DIGEST_TIME_ZONE.*"Mars\/Olympus_Mons" is not a valid IANA time zone/);
    }
  });
});

describe('time zone calendar helpers', () => {
  it('finds local midnight on the 1st in the configured zone, DST included', () => {
    // November 2026 in New York starts in EDT (UTC−4) and ends in EST (UTC−5): 30 d + 1 h.
    const november = zonedMonth(new Date('2026-11-24T14:00:00.000Z'), 'America/New_York');
    expect(november.start.toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(november.end.toISOString()).toBe('2026-12-01T05:00:00.000Z');
    expect(november.end.getTime() - november.start.getTime()).toBe(721 * HOUR);
    // 03:00Z on 1 Nov is still 23:00 on 31 Oct in New York.
    expect(zonedMonth(new Date('2026-11-01T03:00:00.000Z'), 'America/New_York').start.toISOString()).toBe('2026-10-01T04:00:00.000Z');
  });

  it('gives the first occurrence of a repeated time and moves a time in a gap forward', () => {
    // 01:30 occurs twice on 1 Nov 2026 (EDT then EST); 02:30 does not exist on 8 Mar 2026.
    expect(zonedTimeToUtc(2026, 11, 1, 1, 30, 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(zonedTimeToUtc(2026, 3, 8, 2, 30, 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z');
    expect(periodKey(new Date('2026-03-08T07:30:00.000Z'), 'America/New_York')).toBe('2026-03-08T03:30');
  });
});

describe('startDigestSchedule', () => {
  it('runs at the scheduled time in the time zone, and not after stop', async () => {
    vi.useFakeTimers();
    try {
      vi.setSystemTime(new Date('2026-11-24T13:59:58.000Z')); // Tue 08:59:58 in New York
      const run = vi.fn(async () => undefined);
      const job = startDigestSchedule(DEFAULT_DIGEST_CRON, DEFAULT_DIGEST_TIME_ZONE, run);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(run).not.toHaveBeenCalled();
      await vi.advanceTimersByTimeAsync(2_000);
      expect(run).toHaveBeenCalledTimes(1);
      job.stop();
      await vi.advanceTimersByTimeAsync(DAY_MS);
      expect(run).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses an invalid schedule before starting', () => {
    expect(() => startDigestSchedule('0 9 ? * MON-FOO *', DEFAULT_DIGEST_TIME_ZONE, async () => undefined)).toThrow(/day-of-week/);
  });
});
