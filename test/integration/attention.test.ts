import { describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../../functions/core/canonical-event';
import { handleIncidentEvent } from '../../functions/incidents/incident-worker';
import { type IncidentEventOptions, incidentEventAt } from '../support/incident-events';
import { incidentWorld } from '../support/incident-world';
import { withRetries } from '../support/with-retries';

const start = new Date('2026-11-24T08:00:00.000Z');

const setup = () => incidentWorld('attention', { start });

const event = (type: string, minutes: number, options: IncidentEventOptions): CanonicalEvent => incidentEventAt(start, type, minutes, options);

describe('what gets a brief (BRIEF_MIN_PRIORITY)', () => {
  it('a P3 is recorded and counted as open but posts nothing; raised to P2 it gets its brief then, written from its whole timeline', async () => {
    const { chat, store, deps, sweepAll } = await setup();
    const p3 = { incidentId: 'QLOW', priority: 'P3' };
    await handleIncidentEvent(event('incident.triggered', 0, p3), deps);
    await handleIncidentEvent(event('incident.acknowledged', 3, p3), deps);
    await sweepAll();
    expect(chat.threads()).toHaveLength(0);
    expect((await store.loadIncident('pagerduty#QLOW')).timeline).toHaveLength(2);
    expect((await store.openIncidents()).map((open) => open.id)).toEqual(['QLOW']);

    await handleIncidentEvent(event('incident.priority_updated', 10, { ...p3, priority: 'P2', status: 'acknowledged' }), deps);
    await handleIncidentEvent(event('incident.resolved', 20, { ...p3, priority: 'P2' }), deps);
    await sweepAll();
    const [thread, ...others] = chat.threads();
    expect(others).toHaveLength(0);
    // Written from the whole timeline: it already knows who acknowledged it, and when.
    expect(thread?.parent.text).toContain('P2 incident #4211');
    expect(JSON.stringify(thread?.parent.blocks)).toContain('Priya Raman');
    // Only the event after the raise is a reply; the earlier ones are in the brief.
    expect(thread?.replies).toHaveLength(1);
  });

  it('an unprioritised incident is briefed when its urgency is high', async () => {
    const { chat, deps, sweepAll } = await setup();
    await handleIncidentEvent(event('incident.triggered', 0, { incidentId: 'QNOPRIO' }), deps);
    await sweepAll();
    expect(chat.threads()).toHaveLength(1);
  });
});

describe('storms are one message', () => {
  it('twelve P2s triggered at once: five briefs, then one roll-up listing the other seven', async () => {
    const { chat, deps, sweepAll } = await setup();
    const ids = Array.from({ length: 12 }, (_, n) => `QSTORM${n}`);
    await Promise.all(ids.map((incidentId) => withRetries(() => handleIncidentEvent(event('incident.triggered', 0, { incidentId, priority: 'P2' }), deps))));
    await sweepAll();
    const threads = chat.threads();
    expect(threads).toHaveLength(6);
    const rollups = threads.filter((thread) => thread.parent.text.startsWith('Major event'));
    expect(rollups).toHaveLength(1);
    expect(rollups[0]?.parent.text).toContain('Major event: 7 incidents');
    expect(rollups[0]?.parent.text).toContain('P2 7');
  });

  it('incidents that join the roll-up and resolve one after another (flapping) edit one "all resolved" line, not one each', async () => {
    const { chat, deps, sweepAll } = await setup();
    const ids = Array.from({ length: 8 }, (_, n) => `QFLAP${n}`);
    for (const incidentId of ids) await handleIncidentEvent(event('incident.triggered', 0, { incidentId, priority: 'P2' }), deps);
    for (const incidentId of ids.slice(5)) await handleIncidentEvent(event('incident.resolved', 1, { incidentId, priority: 'P2' }), deps);
    await sweepAll();
    for (const n of [8, 9, 10, 11]) {
      await handleIncidentEvent(event('incident.triggered', 2 + n, { incidentId: `QFLAP${n}`, priority: 'P2' }), deps);
      await handleIncidentEvent(event('incident.resolved', 3 + n, { incidentId: `QFLAP${n}`, priority: 'P2' }), deps);
      await sweepAll();
    }
    const rollup = chat.threads().find((thread) => thread.parent.text.startsWith('Major event'));
    expect(rollup?.parent.text).toContain('Major event: 7 incidents');
    const allResolved = rollup?.replies.filter((reply) => reply.text.startsWith('All ')) ?? [];
    expect(allResolved.map((reply) => reply.text)).toEqual(['All 7 incidents in this major event are resolved.']);
  });

  it('the roll-up is edited in place as incidents change; its thread hears of a new P1, an escalation and the last one resolved, nothing else', async () => {
    const { chat, deps, timing, sweepAll } = await setup();
    const ids = Array.from({ length: 8 }, (_, n) => `QEDIT${n}`);
    for (const incidentId of ids) await handleIncidentEvent(event('incident.triggered', 0, { incidentId, priority: 'P2' }), deps);
    const members = ids.slice(5);
    timing.advance(60_000);
    await handleIncidentEvent(event('incident.acknowledged', 1, { incidentId: members[0], priority: 'P2' }), deps);
    await handleIncidentEvent(event('incident.priority_updated', 2, { incidentId: members[1], priority: 'P1', status: 'triggered' }), deps);
    await handleIncidentEvent(event('incident.escalated', 3, { incidentId: members[2], priority: 'P2' }), deps);
    for (const incidentId of members)
      await handleIncidentEvent(event('incident.resolved', 5, { incidentId, priority: incidentId === members[1] ? 'P1' : 'P2' }), deps);
    await sweepAll();

    const rollup = chat.threads().find((thread) => thread.parent.text.startsWith('Major event'));
    expect(rollup?.parent.text).toContain('Major event: 3 incidents');
    expect(rollup?.parent.text).toContain('0 open');
    expect(rollup?.parent.text).toContain('resolved 3');
    const replies = rollup?.replies.map((reply) => reply.text) ?? [];
    expect(replies).toHaveLength(3);
    expect(replies[0]).toMatch(/^Raised to P1 \(was P2\)/);
    expect(replies[1]).toMatch(/^Escalated in PagerDuty/);
    expect(replies[2]).toBe('All 3 incidents in this major event are resolved.');
    // The five briefs before the threshold keep their own threads.
    expect(chat.threads().filter((thread) => !thread.parent.text.startsWith('Major event'))).toHaveLength(5);
  });
});
