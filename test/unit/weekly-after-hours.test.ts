import { describe, expect, it } from 'vitest';
import { afterHours, type Page } from '../../functions/weekly/after-hours';
import { classifyInstant, parseWorkingHours } from '../../functions/weekly/working-hours';

const HOURS = parseWorkingHours('09:00-18:00', 'America/New_York');
// Fri 20 Nov 15:00 EST → Fri 27 Nov 15:00 EST.
const WEEK = { from: new Date('2026-11-20T20:00:00Z'), to: new Date('2026-11-27T20:00:00Z') };
const page = (person: string, team: string, at: string): Page => ({ person, team, at, incident: '#1' });

/*
 * Hand count (New York is UTC−5 in November):
 *   1 Alice  Payments  Fri 20 Nov 23:30Z = Fri 18:30   night   (stretch before Mon 23)
 *   2 Alice  Payments  Sat 21 Nov 15:00Z = Sat 10:00   weekend (stretch before Mon 23)
 *   3 Alice  Payments  Tue 24 Nov 04:00Z = Mon 23:00   night   (stretch before Tue 24: consecutive)
 *   4 Bob    Search    Mon 23 Nov 13:30Z = Mon 08:30   night   (daytime in UTC, before hours in New York)
 *   5 Bob    Search    Wed 25 Nov 15:00Z = Wed 10:00   working
 *   6 Carol  Payments  Sat 21 Nov 02:00Z = Fri 21:00   night   (Saturday in UTC, still Friday in New York)
 *   7 Carol  Payments  Thu 26 Nov 03:00Z = Wed 22:00   night   (stretch before Thu 26)
 *   8 Dave   Payments  Fri 27 Nov 22:00Z               after the week: not counted
 *   9 Eve    Payments  Fri 20 Nov 19:00Z               before the week: not counted
 * In the week 7 pages, 6 after hours (5 at night, 1 at the weekend): Payments 5, Search 1;
 * 3 people; longest run Alice: 2 stretches in a row (the weekend, then Monday night), 3 pages.
 */
const pages = [
  page('PALICE', 'Payments', '2026-11-20T23:30:00Z'),
  page('PALICE', 'Payments', '2026-11-21T15:00:00Z'),
  page('PALICE', 'Payments', '2026-11-24T04:00:00Z'),
  page('PBOB', 'Search', '2026-11-23T13:30:00Z'),
  page('PBOB', 'Search', '2026-11-25T15:00:00Z'),
  page('PCAROL', 'Payments', '2026-11-21T02:00:00Z'),
  page('PCAROL', 'Payments', '2026-11-26T03:00:00Z'),
  page('PDAVE', 'Payments', '2026-11-27T22:00:00Z'),
  page('PEVE', 'Payments', '2026-11-20T19:00:00Z'),
];

describe('after-hours pages (hand-counted week across a weekend and a time-zone boundary)', () => {
  it('classifies instants in the digest zone, not in UTC', () => {
    expect(classifyInstant(new Date('2026-11-23T13:30:00Z'), HOURS)).toBe('night');
    expect(classifyInstant(new Date('2026-11-21T02:00:00Z'), HOURS)).toBe('night');
    expect(classifyInstant(new Date('2026-11-21T15:00:00Z'), HOURS)).toBe('weekend');
    expect(classifyInstant(new Date('2026-11-25T15:00:00Z'), HOURS)).toBe('working');
    expect(classifyInstant(new Date('2026-11-23T23:00:00Z'), HOURS)).toBe('night'); // 18:00 exactly: the day has ended
    expect(classifyInstant(new Date('2026-11-23T14:00:00Z'), HOURS)).toBe('working'); // 09:00 exactly
  });

  it('counts pages, teams, people and the longest run', () => {
    expect(afterHours(pages, WEEK, HOURS)).toEqual({
      pages: 7,
      afterHoursPages: 6,
      nightPages: 5,
      weekendPages: 1,
      byTeam: { Payments: 5, Search: 1 },
      peoplePaged: 3,
      longestRun: { stretches: 2, pages: 3 },
    });
  });

  it('other working hours and days change the count: 08:00-20:00 Mon-Sat', () => {
    const long = parseWorkingHours('08:00-20:00 Mon-Sat', 'America/New_York');
    // Alice's Friday 18:30 and Saturday 10:00 and Bob's 08:30 are now working time.
    expect(afterHours(pages, WEEK, long)).toMatchObject({ afterHoursPages: 3, weekendPages: 0, byTeam: { Payments: 3 }, peoplePaged: 2 });
  });

  it('an empty week has no run', () => {
    expect(afterHours([], WEEK, HOURS)).toEqual({ pages: 0, afterHoursPages: 0, nightPages: 0, weekendPages: 0, byTeam: {}, peoplePaged: 0, longestRun: null });
  });

  it('refuses working hours that are not a day', () => {
    expect(() => parseWorkingHours('9-5', 'UTC')).toThrow(/expected e.g./);
    expect(() => parseWorkingHours('18:00-09:00', 'UTC')).toThrow(/end after it starts/);
    expect(() => parseWorkingHours('09:00-18:00 Mon-Fry', 'UTC')).toThrow(/not a weekday/);
  });
});
