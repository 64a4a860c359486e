import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../functions/core/env';
import { type Completion, categorise, DEFAULT_INVESTMENT_CATEGORIES, investment, UNCATEGORISED } from '../../functions/weekly/investment';
import { loadWeeklyConfig } from '../../functions/weekly/weekly-config';

const CATEGORIES = {
  feature: { issueTypes: ['Story'] },
  'tech debt': { labels: ['tech-debt'] },
  'keep the lights on': { issueTypes: ['Bug'] },
  'unplanned / incident follow-up': { labels: ['incident'] },
};
// The week ends Fri 27 Nov 20:00Z (15:00 in New York).
const TO = new Date('2026-11-27T20:00:00Z');
const done = (key: string, issueType: string | null, labels: string[], doneAt: string): Completion => ({ key, issueType, labels, doneAt });

/*
 * Hand count, this week (9 distinct issues):
 *   A-1 Story → feature; A-2 Story → feature; A-3 Story labelled incident → feature (first match wins)
 *   A-4 Task tech-debt → tech debt; A-5 Bug labelled Tech-Debt → tech debt (before keep the lights on; case ignored)
 *   A-6 Bug → keep the lights on; A-7 Task incident → unplanned; A-8 Task → uncategorised; A-9 no type → uncategorised
 *   A-1 done again after a reopen → still one
 * feature 3/9 = 33%, tech debt 2/9 = 22%, keep the lights on 1/9 = 11%, unplanned 1/9 = 11%, uncategorised 2/9 = 22%.
 * Previous week: B-1 Story, B-2 Bug → feature 50%, keep the lights on 50%. The two weeks before: nothing.
 * Targets: tech debt 20% → 2/9 − 0.2 = +0.022 (2 points above); feature 50% → 3/9 − 0.5 = −0.167 (17 points below).
 */
const completions = [
  done('A-1', 'Story', [], '2026-11-23T15:00:00Z'),
  done('A-1', 'Story', [], '2026-11-26T15:00:00Z'),
  done('A-2', 'Story', ['frontend'], '2026-11-24T15:00:00Z'),
  done('A-3', 'Story', ['incident'], '2026-11-24T16:00:00Z'),
  done('A-4', 'Task', ['tech-debt'], '2026-11-25T15:00:00Z'),
  done('A-5', 'Bug', ['Tech-Debt'], '2026-11-25T16:00:00Z'),
  done('A-6', 'Bug', [], '2026-11-26T15:00:00Z'),
  done('A-7', 'Task', ['incident'], '2026-11-27T15:00:00Z'),
  done('A-8', 'Task', [], '2026-11-27T16:00:00Z'),
  done('A-9', null, [], '2026-11-27T19:59:59Z'),
  done('B-1', 'Story', [], '2026-11-18T15:00:00Z'),
  done('B-2', 'Bug', [], '2026-11-19T15:00:00Z'),
  done('C-1', 'Story', [], '2026-11-27T20:00:00Z'), // at the week's end: next week
];

describe('where the effort went (hand-counted)', () => {
  const result = investment(completions, TO, 4, CATEGORIES, { 'tech debt': 0.2, feature: 0.5 });

  it('puts each issue in the first matching category and counts the unmatched as uncategorised', () => {
    expect(result.categories).toEqual(['feature', 'tech debt', 'keep the lights on', 'unplanned / incident follow-up', UNCATEGORISED]);
    const week = result.weeks.at(-1);
    expect(week?.total).toBe(9);
    expect(week?.counts).toEqual({ feature: 3, 'tech debt': 2, 'keep the lights on': 1, 'unplanned / incident follow-up': 1, [UNCATEGORISED]: 2 });
  });

  it('gives the previous weeks for the trend, empty weeks as zero totals', () => {
    expect(result.weeks.map((w) => w.total)).toEqual([0, 0, 2, 9]);
    expect(result.weeks.at(-2)?.counts).toMatchObject({ feature: 1, 'keep the lights on': 1 });
    expect(result.weeks[0]?.from.toISOString()).toBe('2026-10-30T20:00:00.000Z');
  });

  it('gives the gap to each target', () => {
    const [techDebt, feature] = result.gaps;
    expect(techDebt).toMatchObject({ category: 'tech debt', target: 0.2 });
    expect(techDebt?.share).toBeCloseTo(2 / 9, 10);
    expect(techDebt?.gap).toBeCloseTo(2 / 9 - 0.2, 10);
    expect(feature?.gap).toBeCloseTo(3 / 9 - 0.5, 10);
  });

  it('the default mapping sorts common types and labels, incident follow-up first', () => {
    expect(categorise({ issueType: 'Bug', labels: ['postmortem'] }, DEFAULT_INVESTMENT_CATEGORIES)).toBe('unplanned / incident follow-up');
    expect(categorise({ issueType: 'Bug', labels: [] }, DEFAULT_INVESTMENT_CATEGORIES)).toBe('keep the lights on');
    expect(categorise({ issueType: 'Story', labels: [] }, DEFAULT_INVESTMENT_CATEGORIES)).toBe('feature');
    expect(categorise({ issueType: 'Task', labels: ['tech-debt'] }, DEFAULT_INVESTMENT_CATEGORIES)).toBe('tech debt');
    expect(categorise({ issueType: 'Task', labels: [] }, DEFAULT_INVESTMENT_CATEGORIES)).toBe(UNCATEGORISED);
  });
});

describe('INVESTMENT_CATEGORIES and INVESTMENT_TARGETS validation', () => {
  const load = (env: Record<string, string>) => loadWeeklyConfig(env);

  it('reads a valid mapping and targets in order', () => {
    const config = load({ INVESTMENT_CATEGORIES: JSON.stringify(CATEGORIES), INVESTMENT_TARGETS: '{"tech debt":0.2}' });
    expect(Object.keys(config.investmentCategories)).toEqual(Object.keys(CATEGORIES));
    expect(config.investmentTargets).toEqual({ 'tech debt': 0.2 });
    expect(load({}).investmentCategories).toEqual(DEFAULT_INVESTMENT_CATEGORIES);
  });

  it('names the variable and the field of a bad value', () => {
    expect(() => load({ INVESTMENT_CATEGORIES: '{"feature": {"issueTypes": "Story"}}' })).toThrow(/INVESTMENT_CATEGORIES\.feature\.issueTypes/);
    expect(() => load({ INVESTMENT_CATEGORIES: '{"feature": {}}' })).toThrow(/INVESTMENT_CATEGORIES\.feature: give issueTypes, labels or both/);
    expect(() => load({ INVESTMENT_CATEGORIES: '{"feature": {"issuetypes": ["Story"]}}' })).toThrow(/INVESTMENT_CATEGORIES\.feature/);
    expect(() => load({ INVESTMENT_CATEGORIES: '{"uncategorised": {"labels": ["x"]}}' })).toThrow(/INVESTMENT_CATEGORIES\.uncategorised/);
    expect(() => load({ INVESTMENT_CATEGORIES: '{not json' })).toThrow(ConfigError);
    expect(() => load({ INVESTMENT_TARGETS: '{"tech debt": 1.5}' })).toThrow(/INVESTMENT_TARGETS\.tech debt/);
    expect(() => load({ INVESTMENT_TARGETS: '{"moonshots": 0.1}' })).toThrow(/INVESTMENT_TARGETS\.moonshots: no such category/);
    expect(() => load({ WORKING_HOURS: '18:00-09:00' })).toThrow(/WORKING_HOURS/);
    expect(() => load({ WEEKLY_SCHEDULE: '0 15 * * FRI *' })).toThrow(/WEEKLY_SCHEDULE/);
  });

  it('defaults: Fridays 15:00 in the digest zone, #exec-staff', () => {
    const config = load({ DIGEST_TIME_ZONE: 'Europe/Berlin' });
    expect(config).toMatchObject({ cron: '0 15 ? * FRI *', timeZone: 'Europe/Berlin', channel: '#exec-staff', askKinds: [] });
    expect(config.workingHours).toEqual({ startMinute: 540, endMinute: 1080, days: [1, 2, 3, 4, 5], timeZone: 'Europe/Berlin' });
  });
});
