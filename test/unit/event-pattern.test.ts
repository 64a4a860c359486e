import { describe, expect, it } from 'vitest';
import { matchesPattern } from '../../functions/core/event-pattern';
import { BUS_SOURCE, routes } from '../../functions/core/routing';

const envelope = (detailType: string, detail: object = {}) => ({ source: BUS_SOURCE, 'detail-type': detailType, detail });

describe('matchesPattern (EventBridge semantics)', () => {
  it('routes incident events, and only those, to the incident worker', () => {
    const incidentRoute = routes.find((route) => route.worker === 'incident');
    expect(incidentRoute).toBeDefined();
    const pattern = incidentRoute?.pattern ?? {};
    expect(matchesPattern(envelope('incident.triggered'), pattern)).toBe(true);
    expect(matchesPattern(envelope('issue.transitioned'), pattern)).toBe(false);
    expect(matchesPattern({ ...envelope('incident.triggered'), source: 'someone.else' }, pattern)).toBe(false);
  });

  it('supports exact values, nested fields, arrays in the event, anything-but and exists', () => {
    const event = envelope('incident.triggered', { priority: 'P1', tags: ['a', 'b'], facts: { urgency: 'high' } });
    expect(matchesPattern(event, { detail: { priority: ['P1', 'P2'] } })).toBe(true);
    expect(matchesPattern(event, { detail: { priority: ['P3'] } })).toBe(false);
    expect(matchesPattern(event, { detail: { tags: ['b'] } })).toBe(true);
    expect(matchesPattern(event, { detail: { facts: { urgency: ['high'] } } })).toBe(true);
    expect(matchesPattern(event, { detail: { priority: [{ 'anything-but': ['P1'] }] } })).toBe(false);
    expect(matchesPattern(event, { detail: { priority: [{ 'anything-but': 'P3' }] } })).toBe(true);
    expect(matchesPattern(event, { detail: { missing: [{ exists: false }] } })).toBe(true);
    expect(matchesPattern(event, { detail: { priority: [{ exists: false }] } })).toBe(false);
  });

  it('throws on an operator it does not implement instead of guessing', () => {
    expect(() => matchesPattern(envelope('x', { n: 1 }), { detail: { n: [{ numeric: ['>', 0] } as never] } })).toThrow(/Unsupported/);
  });
});
