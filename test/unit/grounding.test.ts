import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { incidentWriteRequest } from '../../functions/incidents/incident-documents';
import type { IncidentState } from '../../functions/incidents/incident-state';
import type { AnyWriteRequest as WriteRequest } from '../../functions/ports/writer';
import { checkGrounding, describeViolation, type ClaimKind } from '../../functions/writer/grounding';

const state: IncidentState = {
  id: 'Q1ABCDEF2GHIJK',
  key: '#4821',
  title: 'p99 latency 500ms on checkout',
  status: 'resolved',
  priority: 'P1',
  urgency: 'high',
  service: 'Checkout API',
  assignees: ['Priya Natarajan', 'Marco Diaz', 'Lena Park'],
  escalationPolicy: 'Payments On-Call',
  teams: ['Payments'],
  triggeredAt: '2026-11-24T14:05:00.000Z',
  acknowledgedAt: '2026-11-24T14:12:00.000Z',
  acknowledgedBy: 'Marco Diaz',
  resolvedAt: '2026-11-24T15:10:00.000Z',
  resolvedBy: 'Priya Natarajan',
  links: [
    { label: 'PagerDuty incident #4821', url: 'https://acme.pagerduty.com/incidents/Q1ABCDEF2GHIJK' },
    { label: 'PAY-123 rollback ticket', url: 'https://jira.example.com/browse/PAY-123' },
  ],
};

// Facts as the product formats them: "7 min", "1 h 05 min", "14:05 UTC, 24 Nov 2026".
const request = incidentWriteRequest('incident.closing', state);

const faithful = {
  headline: 'Resolved: P1 incident #4821 on Checkout API',
  sections: [
    {
      heading: 'Outcome',
      body: 'Priya Natarajan resolved it at 15:10 UTC, 24 Nov 2026, 1 h 05 min after it was triggered. Checkout API is back to normal.',
    },
    {
      heading: 'Timeline',
      body: 'Triggered 14:05 UTC, 24 Nov 2026. Marco Diaz acknowledged it at 14:12 UTC (time to acknowledge 7 min). Resolved at 15:10 UTC.',
    },
    { heading: 'Thanks', body: 'Thank you Priya Natarajan, Marco Diaz and Lena Park of Payments for the response.' },
    { heading: 'Follow-up', body: 'The rollback is tracked in PAY-123; the Payments On-Call policy stays as is.' },
  ],
};

/** The faithful document with one more section holding `body`. */
const withSection = (body: string, heading = 'Notes') => ({ ...faithful, sections: [...faithful.sections, { heading, body }] });
const extraWhere = `sections[${faithful.sections.length}].body`;

describe('checkGrounding', () => {
  it('finds nothing in a document that only restates the facts', () => {
    expect(checkGrounding(faithful, request)).toEqual([]);
  });

  it.each<[string, ClaimKind, string]>([
    ['It took 3 h 10 min to fix.', 'duration', '3 h 10 min'],
    ['Time to acknowledge was 9 min.', 'duration', '9 min'],
    ['About $250k of orders were delayed.', 'money', '$250k'],
    ['12% of checkouts failed.', 'percentage', '12%'],
    ['It started on Nov 23.', 'date', 'Nov 23'],
    ['Customers recovered at 16:40 UTC.', 'time', '16:40 UTC'],
    ['A follow-up is in PAY-999.', 'identifier', 'PAY-999'],
    ['This repeats INC-4821.', 'identifier', 'INC-4821'],
    ['John Smith led the response.', 'person', 'John Smith'],
    ['Priya Smith led the response.', 'person', 'Priya Smith'],
    ['42 customers complained.', 'number', '42'],
    ['Four responders joined.', 'number', 'Four'],
  ])('flags a fabricated claim: %s', (sentence, kind, text) => {
    expect(checkGrounding(withSection(sentence), request)).toEqual([{ kind, text, where: extraWhere }]);
  });

  it('accepts durations in any equivalent wording', () => {
    const body = 'Resolved in 65 minutes (1h 5m, or 1 hour and 5 minutes, 1 h 5 min); acknowledged in 7 minutes, 7m, seven minutes.';
    expect(checkGrounding(withSection(body), request)).toEqual([]);
  });

  it('accepts dates and times in any equivalent wording', () => {
    const body = 'Triggered on 2026-11-24, i.e. November 24, 2026 (24 November, Nov 24th) at 2:05 pm, 14:05 or 2:05 PM UTC; resolved 3:10 p.m.';
    expect(checkGrounding(withSection(body), request)).toEqual([]);
  });

  it('flags a date whose year differs, but not one that gives no year', () => {
    expect(checkGrounding(withSection('Since 24 Nov 2025, on Nov 24.'), request)).toEqual([{ kind: 'date', text: '24 Nov 2025', where: extraWhere }]);
  });

  it('accepts money, percentages and numbers written with separators, suffixes or words', () => {
    const money: WriteRequest = {
      ...request,
      untrusted: { note: 'Revenue at risk $1,200,000; availability 99.9 %; 1,200 orders failed.' },
      facts: { ...request.facts, refundsUsd: 250000, errorRate: 3.5 },
    };
    const body =
      'At risk: $1.2M (1.2 million dollars, USD 1,200,000). Availability 99.9% (99.9 percent). 1200 orders, or 1.2k orders, failed. Refunds $250k (250,000). Error rate 3.5%.';
    expect(checkGrounding(withSection(body), money)).toEqual([]);
  });

  it('grounds numbers found inside untrusted text and link labels', () => {
    expect(checkGrounding(withSection('p99 latency hit 500 ms; 500 is the number, on incident 4821 and ticket 123.'), request)).toEqual([]);
  });

  it('grounds the size of a list fact, and nothing else derived from it', () => {
    expect(checkGrounding(withSection('Three responders (3 people) worked it.'), request)).toEqual([]);
    expect(checkGrounding(withSection('Across 6 responders.'), request)).toEqual([{ kind: 'number', text: '6', where: extraWhere }]);
  });

  it('does not count 0, 1, one, single, list markers or digits inside other claims as numbers', () => {
    const body = '1. One single owner, 0 errors left, no customer impact.\n2. On-call 24/7, zero pages since 15:10 UTC.';
    expect(checkGrounding(withSection(body), request)).toEqual([]);
  });

  it('grounds a first name of a person in the facts and ignores capitalised common words', () => {
    const document = {
      headline: 'Checkout Latency Resolved',
      sections: [{ heading: 'Who Owns It', body: 'Priya closed it. Next Step: Payments reviews the latency. Thanks Marco Diaz.' }],
    };
    expect(checkGrounding(document, request)).toEqual([]);
  });

  it('takes capitalised words that are also written in lower case as ordinary words, not names', () => {
    const titled = { headline: 'Card Declines Cleared', sections: [{ heading: 'Impact', body: 'Card declines cleared after the rollback.' }] };
    expect(checkGrounding(titled, request)).toEqual([]);
    expect(checkGrounding({ ...titled, sections: [] }, request)).toEqual([{ kind: 'person', text: 'Card Declines Cleared', where: 'headline' }]);
  });

  it('matches identifiers case-sensitively and never takes fact keys as evidence', () => {
    const keyed: WriteRequest = { ...request, facts: { 'PAY-777': 'open', priority: 'P1' } };
    expect(checkGrounding({ headline: 'PAY-777 is P2, not P1', sections: [] }, keyed)).toEqual([
      { kind: 'identifier', text: 'PAY-777', where: 'headline' },
      { kind: 'identifier', text: 'P2', where: 'headline' },
    ]);
  });

  it('reports each fabricated value once, at its first place, in document order', () => {
    const document = {
      headline: 'John Smith fixed #4821',
      sections: [
        { heading: 'Impact', body: 'About $250k lost; John Smith says $250,000 and 12 % of checkouts.' },
        { heading: 'Cost: $250 thousand', body: '12 percent failed.' },
      ],
    };
    expect(checkGrounding(document, request)).toEqual([
      { kind: 'person', text: 'John Smith', where: 'headline' },
      { kind: 'money', text: '$250k', where: 'sections[0].body' },
      { kind: 'percentage', text: '12 %', where: 'sections[0].body' },
    ]);
  });
});

describe('describeViolation', () => {
  it('renders one line per violation for the document record and the corrective prompt', () => {
    const lines = [
      { kind: 'duration' as const, text: '3 hours', where: 'sections[1].body' },
      { kind: 'person' as const, text: 'John Smith', where: 'headline' },
    ].map(describeViolation);
    expect(lines).toEqual(['"3 hours" (duration) in sections[1].body is not in the facts', '"John Smith" (person) in headline is not in the facts']);
  });
});

describe('checkGrounding properties', () => {
  // Integer facts, some numeric and some formatted as durations, as the writer receives them.
  const facts = fc
    .uniqueArray(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 6 })
    .map((values) => values.map((value, i) => ({ value, isDuration: i % 2 === 0 })));
  const requestOf = (items: { value: number; isDuration: boolean }[]): WriteRequest => ({
    kind: 'incident.brief',
    facts: Object.fromEntries(items.map(({ value, isDuration }, i) => [`fact${i}`, isDuration ? `${value} min` : value])),
    untrusted: {},
    links: [],
  });

  it('finds nothing when every integer comes from the facts', () => {
    fc.assert(
      fc.property(facts, (items) => {
        const body = items.map(({ value, isDuration }) => (isDuration ? `${value} minutes and ${value}` : `${value}`)).join(', ');
        expect(checkGrounding({ headline: 'Summary', sections: [{ heading: 'Facts', body }] }, requestOf(items))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('flags any integer above twenty that is not in the facts, bare or as a duration', () => {
    fc.assert(
      fc.property(facts, fc.integer({ min: 21, max: 1_000_000 }), fc.boolean(), (items, made, asDuration) => {
        fc.pre(items.every(({ value }) => value !== made));
        const text = asDuration ? `${made} minutes` : `${made}`;
        const violations = checkGrounding({ headline: 'Summary', sections: [{ heading: 'Facts', body: `It was ${text}.` }] }, requestOf(items));
        expect(violations).toEqual([{ kind: asDuration ? 'duration' : 'number', text, where: 'sections[0].body' }]);
      }),
      { numRuns: 300 },
    );
  });
});
