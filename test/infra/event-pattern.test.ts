import { describe, expect, it } from 'vitest';
import { routes } from '../../functions/core/routing';
import { toCdkEventPattern } from '../../lib/event-pattern';

describe('toCdkEventPattern', () => {
  it('renames detail-type and keeps every value as it is', () => {
    expect(toCdkEventPattern({ source: ['a'], 'detail-type': [{ prefix: 'incident.' }], detail: { priority: ['P1'] } })).toEqual({
      source: ['a'],
      detailType: [{ prefix: 'incident.' }],
      detail: { priority: ['P1'] },
    });
  });

  it('converts every route of the routing table', () => {
    for (const route of routes) expect(() => toCdkEventPattern(route.pattern)).not.toThrow();
  });

  it('rejects a field EventBridge does not have at the top level', () => {
    expect(() => toCdkEventPattern({ detailType: ['x'] })).toThrow(/"detailType" is not an EventBridge envelope field/);
  });
});
