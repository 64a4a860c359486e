import { describe, expect, it } from 'vitest';
import { DynamoStore } from '../../functions/adapters/dynamo-store';
import type { CanonicalEvent } from '../../functions/core/canonical-event';
import { handleHistoryEvent } from '../../functions/history/history-worker';
import { freshTable } from '../support/dynamo';

const NOW = new Date('2026-11-05T12:00:00Z');

function transition(n: number, at: string, toStatus: string, statusCategory: string): CanonicalEvent {
  return {
    id: `jira:10042:${n}`,
    source: 'jira',
    type: 'issue.transitioned',
    occurredAt: at,
    deliveryId: `delivery-${n}`,
    subject: { kind: 'issue', id: '10042', key: 'OPS-42', title: 'Checkout retries' },
    actors: [],
    links: [],
    facts: { toStatus, statusCategory },
  };
}

describe('Jira history on the time index (only what a time-window reader reads)', () => {
  it('indexes completions and configured deployed statuses; cycle time still comes from the whole partition', async () => {
    // Prepare
    const table = await freshTable('issue-index');
    const store = new DynamoStore(table.db, table.tableName);
    const deps = { store, clock: { now: () => NOW }, retentionDays: 180, deployedStatuses: ['Deployed'] };
    // Act
    for (const event of [
      transition(1, '2026-11-02T10:00:00Z', 'In Progress', 'In Progress'),
      transition(2, '2026-11-03T10:00:00Z', 'In Review', 'In Progress'),
      transition(3, '2026-11-04T09:00:00Z', 'deployed', 'In Progress'),
      transition(4, '2026-11-04T10:00:00Z', 'Done', 'Done'),
    ])
      await handleHistoryEvent(event, deps);
    // Assess
    const read = await store.readTimeWindow(new Date('2026-11-01T00:00:00Z'), NOW);
    const indexed = read.items.map((item) => (item.event as CanonicalEvent).facts.toStatus);
    expect(indexed).toEqual(['deployed', 'Done']);
    const done = read.items.find((item) => (item.event as CanonicalEvent).facts.done === true)?.event as CanonicalEvent;
    // The first "In Progress" transition, not on the index, still starts the clock: 2 Nov 10:00 → 4 Nov 10:00.
    expect(done.facts).toMatchObject({ firstInProgressAt: '2026-11-02T10:00:00.000Z', cycleTimeMs: 48 * 3_600_000 });
    // Every transition is still in the history (replay, cycle time).
    expect((await table.items()).filter((item) => item.pk === 'ISSUE#10042')).toHaveLength(4);
  });
});
