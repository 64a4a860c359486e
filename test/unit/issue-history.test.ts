import { describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../../functions/core/canonical-event';
import { withCycleTime } from '../../functions/history/issue-history';

function transition(id: string, at: string, toStatus: string, statusCategory: string): CanonicalEvent {
  return {
    id,
    source: 'jira',
    type: 'issue.transitioned',
    occurredAt: at,
    deliveryId: id,
    subject: { kind: 'issue', id: '10042', key: 'OPS-42', title: 'Checkout retries' },
    actors: [],
    links: [],
    facts: { toStatus, statusCategory },
  };
}

describe('cycle time on write', () => {
  const started = transition('t1', '2026-11-02T10:00:00Z', 'In Progress', 'In Progress');
  const review = transition('t2', '2026-11-03T15:00:00Z', 'In Review', 'In Progress');

  it('runs from the first "In Progress" category transition to "Done"', () => {
    const done = withCycleTime(transition('t3', '2026-11-04T10:00:00Z', 'Done', 'Done'), [started, review]);
    // 2 Nov 10:00 → 4 Nov 10:00 = 48 h.
    expect(done.facts).toMatchObject({ done: true, firstInProgressAt: '2026-11-02T10:00:00.000Z', cycleTimeMs: 48 * 3_600_000 });
  });

  it('counts an issue done once: moving between two Done statuses is not a second delivery', () => {
    const done = transition('t3', '2026-11-04T10:00:00Z', 'Done', 'Done');
    const closed = withCycleTime(transition('t5', '2026-11-05T10:00:00Z', 'Closed', 'Done'), [started, review, done]);
    expect(closed.facts.done).toBe(false);
  });

  it('marks a transition that is not done, and a done issue never started has no cycle time', () => {
    expect(withCycleTime(review, [started]).facts).toMatchObject({ done: false });
    const skipped = withCycleTime(transition('t4', '2026-11-04T10:00:00Z', 'Done', 'Done'), []);
    expect(skipped.facts.done).toBe(true);
    expect(skipped.facts.cycleTimeMs).toBeUndefined();
  });
});
