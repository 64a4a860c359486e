import { describe, expect, it } from 'vitest';
import type { CanonicalEvent } from '../../functions/core/canonical-event';
import { loadEscalationConfig, parseDuration } from '../../functions/escalations/escalation-config';
import { describeCondition, isDue, openTooLongRule, pagerDutyEscalationRule, unacknowledgedRule } from '../../functions/escalations/rules';
import { foldIncident } from '../../functions/incidents/incident-state';
import { incidentEventAt } from '../support/incident-events';

const start = new Date('2026-12-01T08:00:00.000Z');
const config = loadEscalationConfig({});
const at = (minutes: number) => new Date(start.getTime() + minutes * 60_000);
const ev = (type: string, minutes: number, priority?: string, status?: string) => incidentEventAt(start, type, minutes, { priority, status });

function defined<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('expected a condition');
  return value;
}

function rules(events: CanonicalEvent[]) {
  const state = foldIncident(events);
  return { state, unacknowledged: unacknowledgedRule(state, config), open: openTooLongRule(state, config) };
}

describe('escalation rules', () => {
  it('an unacknowledged P1 falls due 10 minutes after the trigger, not a second before', () => {
    const unacknowledged = defined(rules([ev('incident.triggered', 0, 'P1')]).unacknowledged);
    expect(unacknowledged).toMatchObject({ rule: 'unacknowledged', priority: 'P1', dueAt: at(10).toISOString(), sinceKind: 'triggered' });
    expect(isDue(unacknowledged, new Date(at(10).getTime() - 1))).toBe(false);
    expect(isDue(unacknowledged, at(10))).toBe(true);
    expect(describeCondition(unacknowledged, at(10))).toBe('Nobody has acknowledged this P1 incident 10 min after it was triggered (the limit is 10 min)');
  });

  it('an unacknowledged P2 falls due after 30 minutes', () => {
    expect(rules([ev('incident.triggered', 0, 'P2')]).unacknowledged?.dueAt).toBe(at(30).toISOString());
  });

  it('acknowledgement at minute 9 clears it; so does resolution; P3 never escalates', () => {
    expect(rules([ev('incident.triggered', 0, 'P1'), ev('incident.acknowledged', 9, 'P1')]).unacknowledged).toBeUndefined();
    expect(rules([ev('incident.triggered', 0, 'P1'), ev('incident.resolved', 5, 'P1')]).unacknowledged).toBeUndefined();
    expect(rules([ev('incident.triggered', 0, 'P3')]).unacknowledged).toBeUndefined();
    expect(rules([ev('incident.triggered', 0)]).unacknowledged).toBeUndefined();
  });

  it('a raise to P1 starts the P1 clock from the change', () => {
    const raised = defined(rules([ev('incident.triggered', 0, 'P3'), ev('incident.priority_updated', 5, 'P1')]).unacknowledged);
    expect(raised).toMatchObject({ dueAt: at(15).toISOString(), sinceKind: 'raised-to-p1', thresholdMs: 10 * 60_000 });
    expect(describeCondition(raised, at(15))).toContain('10 min after it was raised to P1');
  });

  it('a P2 raised to P1 late keeps the sooner P2 deadline', () => {
    const raised = rules([ev('incident.triggered', 0, 'P2'), ev('incident.priority_updated', 25, 'P1')]).unacknowledged;
    expect(raised?.dueAt).toBe(at(30).toISOString());
  });

  it('a P1 lowered to P3 clears, and raised again restarts from the new raise', () => {
    expect(rules([ev('incident.triggered', 0, 'P1'), ev('incident.priority_updated', 4, 'P3')]).unacknowledged).toBeUndefined();
    const again = rules([
      ev('incident.triggered', 0, 'P1'),
      ev('incident.priority_updated', 4, 'P3'),
      ev('incident.priority_updated', 12, 'P1'),
    ]).unacknowledged;
    expect(again?.dueAt).toBe(at(22).toISOString());
  });

  it('the order of delivery does not change the deadline', () => {
    const events = [ev('incident.priority_updated', 5, 'P1'), ev('incident.triggered', 0, 'P3')];
    expect(rules(events).unacknowledged?.dueAt).toBe(at(15).toISOString());
  });

  it('a P1 still open 4 hours after the trigger falls due even if acknowledged; resolution clears it', () => {
    const acked = rules([ev('incident.triggered', 0, 'P1'), ev('incident.acknowledged', 2, 'P1')]);
    expect(acked.unacknowledged).toBeUndefined();
    expect(acked.open).toMatchObject({ rule: 'open-too-long', dueAt: at(240).toISOString() });
    expect(rules([ev('incident.triggered', 0, 'P1'), ev('incident.resolved', 239, 'P1')]).open).toBeUndefined();
    expect(rules([ev('incident.triggered', 0, 'P2')]).open).toBeUndefined();
  });

  it("PagerDuty's escalation of an open P1 or P2 is due at once; not for P3 or a resolved incident", () => {
    const escalated = ev('incident.escalated', 3, 'P2');
    const open = foldIncident([ev('incident.triggered', 0, 'P2'), escalated]);
    expect(pagerDutyEscalationRule(open, escalated)).toMatchObject({ rule: 'pagerduty-escalated', dueAt: escalated.occurredAt });
    const p3 = ev('incident.escalated', 3, 'P3');
    expect(pagerDutyEscalationRule(foldIncident([ev('incident.triggered', 0, 'P3'), p3]), p3)).toBeUndefined();
    const resolved = foldIncident([ev('incident.triggered', 0, 'P1'), ev('incident.resolved', 2, 'P1'), escalated]);
    expect(pagerDutyEscalationRule(resolved, escalated)).toBeUndefined();
    expect(pagerDutyEscalationRule(open, ev('incident.annotated', 4))).toBeUndefined();
  });

  it('thresholds come from the configuration', () => {
    const short = loadEscalationConfig({ ESCALATE_P1_UNACKNOWLEDGED_AFTER: '8s' });
    const events = [ev('incident.triggered', 0, 'P1')];
    expect(unacknowledgedRule(foldIncident(events), short)?.dueAt).toBe(new Date(start.getTime() + 8000).toISOString());
  });
});

describe('escalation configuration', () => {
  it('reads 90s, 10m and 4h', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('4h')).toBe(14_400_000);
    expect(config).toEqual({
      p1UnacknowledgedAfterMs: 600_000,
      p2UnacknowledgedAfterMs: 1_800_000,
      p1OpenAfterMs: 14_400_000,
      stormThreshold: 3,
      channel: '#exec-escalations',
      userId: undefined,
    });
  });

  it.each([
    ['ESCALATE_P1_UNACKNOWLEDGED_AFTER', '10'],
    ['ESCALATE_P2_UNACKNOWLEDGED_AFTER', 'ten minutes'],
    ['ESCALATE_P1_OPEN_AFTER', '0h'],
    ['ESCALATE_P1_OPEN_AFTER', '200h'],
    ['ESCALATION_STORM_THRESHOLD', '0'],
    ['ESCALATION_STORM_THRESHOLD', 'three'],
    ['SLACK_ESCALATION_USER_ID', '<@U123>'],
  ])('refuses %s=%s with a message naming it', (name, value) => {
    expect(() => loadEscalationConfig({ [name]: value })).toThrow(new RegExp(`^${name}`));
  });
});
