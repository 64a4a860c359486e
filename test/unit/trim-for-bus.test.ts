import { describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../../functions/core/canonical-event';
import { MAX_FACT_CHARS, trimForBus } from '../../functions/ingest/trim-for-bus';

const base: CanonicalEvent = {
  id: 'e1',
  source: 'jira',
  type: 'issue.updated',
  occurredAt: '2026-11-24T09:00:00Z',
  deliveryId: 'd1',
  subject: { kind: 'issue', id: '1', title: 't' },
  actors: [],
  links: [],
  facts: { short: 'ok', n: 3 },
};

describe('trimForBus', () => {
  it('leaves small events untouched', () => {
    expect(trimForBus(base)).toBe(base);
  });

  it('keeps a huge event far below the 256 KB EventBridge limit and says what it clipped', () => {
    const huge = {
      ...base,
      facts: { ...base.facts, description: '🔥'.repeat(500_000), labels: Array.from({ length: 5000 }, (_, i) => `label-${i}`.repeat(50)) },
    };
    const trimmed = trimForBus(huge);
    expect(Buffer.byteLength(JSON.stringify(trimmed))).toBeLessThan(64 * 1024);
    expect([...(trimmed.facts.description as string)]).toHaveLength(MAX_FACT_CHARS);
    expect(trimmed.facts.trimmedFacts).toEqual(['description', 'labels']);
    expect(trimmed.facts.short).toBe('ok');
  });
});
