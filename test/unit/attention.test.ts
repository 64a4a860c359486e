import { describe, expect, it } from 'vitest';
import type { RollupMember } from '../../functions/ports/attention-store';
import { deservesBrief } from '../../functions/incidents/attention';
import { DEFAULT_ATTENTION, loadAttentionConfig } from '../../functions/incidents/attention-config';
import { decideAttention } from '../../functions/incidents/incident-storm';
import { renderRollup } from '../../functions/incidents/rollup-message';
import { incidentRollup } from '../../functions/documents/incident-rollup';

describe('attention settings', () => {
  it('defaults to briefs from P2, and a storm of more than 5 within 10 minutes', () => {
    expect(loadAttentionConfig({})).toEqual({ briefMinRank: 2, stormThreshold: 5, stormWindowMs: 600_000 });
    expect(loadAttentionConfig({ BRIEF_MIN_PRIORITY: 'p3', INCIDENT_STORM_THRESHOLD: '10', INCIDENT_STORM_WINDOW: '90s' })).toEqual({
      briefMinRank: 3,
      stormThreshold: 10,
      stormWindowMs: 90_000,
    });
  });

  it.each([
    ['BRIEF_MIN_PRIORITY', 'SEV2'],
    ['BRIEF_MIN_PRIORITY', 'P6'],
    ['INCIDENT_STORM_THRESHOLD', '0'],
    ['INCIDENT_STORM_THRESHOLD', 'five'],
    ['INCIDENT_STORM_WINDOW', '10 minutes'],
  ])('refuses %s=%s at start, naming the variable', (name, value) => {
    expect(() => loadAttentionConfig({ [name]: value })).toThrow(new RegExp(`^${name}`));
  });
});

describe('what gets a brief', () => {
  it('P1 and P2 by default; P3 to P5 are only counted', () => {
    expect(['P1', 'P2', 'P3', 'P4', 'P5'].map((priority) => deservesBrief({ priority }, DEFAULT_ATTENTION))).toEqual([true, true, false, false, false]);
    expect(deservesBrief({ priority: 'P3' }, { briefMinRank: 3 })).toBe(true);
  });

  it('an unprioritised incident (or one outside the P1-P5 scheme) is briefed when its urgency is high', () => {
    expect(deservesBrief({ urgency: 'high' }, DEFAULT_ATTENTION)).toBe(true);
    expect(deservesBrief({ urgency: 'low' }, DEFAULT_ATTENTION)).toBe(false);
    expect(deservesBrief({}, DEFAULT_ATTENTION)).toBe(false);
    expect(deservesBrief({ priority: 'SEV-1', urgency: 'high' }, DEFAULT_ATTENTION)).toBe(true);
  });
});

describe('storm gate', () => {
  const at = (seconds: number) => new Date(Date.parse('2026-11-24T08:00:00.000Z') + seconds * 1000);

  it('briefs the first five in the window, gathers the sixth and later in one roll-up, and briefs again once the storm has passed', () => {
    let gate = { recent: [] as string[] } as Parameters<typeof decideAttention>[0];
    const modes: string[] = [];
    const rollups = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const decided = decideAttention(gate, at(i * 10), DEFAULT_ATTENTION);
      gate = decided.gate;
      modes.push(decided.decision.mode);
      if (decided.decision.mode === 'rollup') rollups.add(decided.decision.rollupId);
    }
    expect(modes).toEqual(['brief', 'brief', 'brief', 'brief', 'brief', 'rollup', 'rollup', 'rollup']);
    expect(rollups.size).toBe(1);
    expect(decideAttention(gate, at(70 + 601), DEFAULT_ATTENTION).decision.mode).toBe('brief');
  });
});

describe('roll-up message', () => {
  const member = (n: number, overrides: Partial<RollupMember> = {}): RollupMember => ({
    key: `pagerduty#Q${n}`,
    number: `#${5000 + n}`,
    title: `Service ${n % 3} latency`,
    priority: 'P2',
    status: 'triggered',
    service: `svc-${n % 3}`,
    triggeredAt: new Date(Date.parse('2026-11-24T08:00:00.000Z') + n * 1000).toISOString(),
    acknowledgedAt: null,
    url: `https://acme.pagerduty.com/incidents/Q${n}`,
    order: 1,
    ...overrides,
  });
  const rollup = { id: 'incident:rollup:1', startedAt: '2026-11-24T08:00:00.000Z' };
  const summary = incidentRollup.template({
    facts: { startedAt: '08:00 UTC, 24 Nov 2026', threshold: 5, window: '10 min', services: ['svc-0'], priorities: ['P2'] },
    untrusted: {},
    links: [],
  });

  it('counts by priority, status and service, lists the first 50 and counts the rest, and names the oldest unacknowledged', () => {
    const members = Array.from({ length: 60 }, (_, n) => member(n, n === 7 ? { priority: 'P1' } : n < 3 ? { status: 'acknowledged' } : {}));
    const message = renderRollup(summary, rollup, members, new Date('2026-11-24T08:30:00.000Z'));
    const text = JSON.stringify(message.blocks);
    expect(message.text).toContain('Major event: 60 incidents since 08:00 UTC, 24 Nov 2026, 60 open');
    expect(text).toContain('P2 59 · P1 1');
    expect(text).toContain('triggered 57 · acknowledged 3');
    expect(text).toContain('svc-0 20 · svc-1 20 · svc-2 20');
    expect(text).toContain('and 10 more incidents');
    expect(text).toContain('*Oldest unacknowledged:* <https://acme.pagerduty.com/incidents/Q3|#5003>');
    // The P1 is listed first.
    expect(text.indexOf('#5007')).toBeLessThan(text.indexOf('#5010'));
    expect(message.blocks.length).toBeLessThanOrEqual(50);
  });

  it('escapes titles from the webhook', () => {
    const message = renderRollup(summary, rollup, [member(1, { title: '<!channel> db down' })], new Date('2026-11-24T08:30:00.000Z'));
    expect(JSON.stringify(message.blocks)).not.toContain('<!channel>');
  });
});
