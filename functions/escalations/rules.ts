import type { CanonicalEvent } from '../core/canonical-event';
import { formatDuration, formatInstant } from '../core/durations';
import type { IncidentState } from '../incidents/incident-state';
import type { EscalationConfig } from './escalation-config';

/**
 * The escalation rules: pure functions over an incident's folded state, its timeline and the
 * configuration. A rule either names a condition (when it falls due and why) or returns
 * undefined: the condition does not hold, or it has cleared.
 */

/** Rules that wait for a deadline (and so need a timer). */
export const TIMER_RULES = ['unacknowledged', 'open-too-long'] as const;
export type TimerRule = (typeof TIMER_RULES)[number];
export type EscalationRule = TimerRule | 'pagerduty-escalated' | 'approval-expired';

export interface Condition {
  rule: EscalationRule;
  priority: string;
  /** When the condition becomes an escalation (ISO instant). */
  dueAt: string;
  /** When its clock started. */
  since: string;
  /** What started the clock: the trigger, a raise to P1, or (for PagerDuty's own escalation) the event. */
  sinceKind: 'triggered' | 'raised-to-p1' | 'event';
  thresholdMs: number;
}

const ESCALATING_PRIORITIES = new Set(['P1', 'P2']);

function normalisePriority(priority: string | undefined): string | undefined {
  return priority?.trim().toUpperCase() || undefined;
}

function open(state: IncidentState): boolean {
  return state.status !== 'resolved' && !state.resolvedAt;
}

function plus(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

/**
 * When the incident's current stretch at P1 began: the trigger if it was P1 from the start,
 * otherwise the change that raised it (from the state's priority history, which the fold
 * builds in occurrence order). Undefined when it is not P1 now.
 */
export function p1Since(state: IncidentState): string | undefined {
  if (normalisePriority(state.priority) !== 'P1') return undefined;
  const history = state.priorityHistory ?? [];
  let index = history.length - 1;
  while (index > 0 && normalisePriority(history[index - 1]?.priority) === 'P1') index -= 1;
  const change = history[index];
  return index <= 0 || !change ? state.triggeredAt : change.at;
}

/**
 * Unacknowledged too long: a P2 after ESCALATE_P2_UNACKNOWLEDGED_AFTER from the trigger; a P1
 * after ESCALATE_P1_UNACKNOWLEDGED_AFTER from when it became P1, or the P2 deadline if that
 * is sooner (a P1 never waits longer than a P2 would).
 */
export function unacknowledgedRule(state: IncidentState, config: EscalationConfig): Condition | undefined {
  if (!open(state) || state.acknowledgedAt || state.status === 'acknowledged' || !state.triggeredAt) return undefined;
  const priority = normalisePriority(state.priority);
  const p2Deadline = plus(state.triggeredAt, config.p2UnacknowledgedAfterMs);
  const base = { rule: 'unacknowledged' as const, since: state.triggeredAt, sinceKind: 'triggered' as const };
  if (priority === 'P2') return { ...base, priority, dueAt: p2Deadline, thresholdMs: config.p2UnacknowledgedAfterMs };
  if (priority !== 'P1') return undefined;
  const since = p1Since(state) ?? state.triggeredAt;
  const p1Deadline = plus(since, config.p1UnacknowledgedAfterMs);
  if (Date.parse(p2Deadline) < Date.parse(p1Deadline)) return { ...base, priority, dueAt: p2Deadline, thresholdMs: config.p2UnacknowledgedAfterMs };
  return {
    ...base,
    priority,
    since,
    sinceKind: since === state.triggeredAt ? 'triggered' : 'raised-to-p1',
    dueAt: p1Deadline,
    thresholdMs: config.p1UnacknowledgedAfterMs,
  };
}

/** A P1 still unresolved ESCALATE_P1_OPEN_AFTER after it was triggered. */
export function openTooLongRule(state: IncidentState, config: EscalationConfig): Condition | undefined {
  if (!open(state) || normalisePriority(state.priority) !== 'P1' || !state.triggeredAt) return undefined;
  return {
    rule: 'open-too-long',
    priority: 'P1',
    since: state.triggeredAt,
    sinceKind: 'triggered',
    dueAt: plus(state.triggeredAt, config.p1OpenAfterMs),
    thresholdMs: config.p1OpenAfterMs,
  };
}

/** PagerDuty escalated an open P1 or P2: its responders did not act, so escalate at once. */
export function pagerDutyEscalationRule(state: IncidentState, event: CanonicalEvent): Condition | undefined {
  const priority = normalisePriority(state.priority);
  if (event.type !== 'incident.escalated' || !open(state) || !priority || !ESCALATING_PRIORITIES.has(priority)) return undefined;
  return { rule: 'pagerduty-escalated', priority, since: event.occurredAt, sinceKind: 'event', dueAt: event.occurredAt, thresholdMs: 0 };
}

/** The condition a timer rule names now, or undefined when it does not hold. */
export function timerCondition(rule: TimerRule, state: IncidentState, config: EscalationConfig): Condition | undefined {
  return rule === 'unacknowledged' ? unacknowledgedRule(state, config) : openTooLongRule(state, config);
}

export function isDue(condition: Condition, now: Date): boolean {
  return Date.parse(condition.dueAt) <= now.getTime();
}

/** Why the condition needs the VP, in one sentence built by code (the writer's `reason` fact). */
export function describeCondition(condition: Condition, now: Date): string {
  const elapsed = formatDuration(Math.max(0, now.getTime() - Date.parse(condition.since)));
  const threshold = formatDuration(condition.thresholdMs);
  switch (condition.rule) {
    case 'unacknowledged':
      return condition.sinceKind === 'raised-to-p1'
        ? `Nobody has acknowledged this P1 incident ${elapsed} after it was raised to P1 (the limit is ${threshold})`
        : `Nobody has acknowledged this ${condition.priority} incident ${elapsed} after it was triggered (the limit is ${threshold})`;
    case 'open-too-long':
      return `This P1 incident is still unresolved ${elapsed} after it was triggered (the limit is ${threshold})`;
    case 'pagerduty-escalated':
      return `PagerDuty escalated this ${condition.priority} incident at ${formatInstant(condition.since)} because its responders did not act in time`;
    case 'approval-expired':
      return `No decision was made before the deadline`;
  }
}
