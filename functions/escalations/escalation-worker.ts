import type { CanonicalEvent } from '../core/canonical-event';
import { foldIncident, type IncidentState } from '../incidents/incident-state';
import type { ApprovalStore } from '../ports/approval-store';
import type { Clock } from '../ports/clock';
import { handleApprovalExpired } from './approval-escalation';
import { escalateOnce } from './escalate-once';
import type { EscalationRecord, EscalationStore } from '../ports/escalation-store';
import type { Outbox } from '../ports/outbox';
import type { IncidentStore } from '../ports/store';
import type { TimerPayload, Timers } from '../ports/timers';
import type { Writer } from '../ports/writer';
import type { WriteClaims } from '../ports/write-claims';
import type { EscalationConfig } from './escalation-config';
import { escalationNotice, incidentEscalationRequest, incidentLabel, repeatNotice } from './escalation-documents';
import { escalationMessageId, incidentBriefOutboxId, incidentKeyOf, outboxSafe, timerId } from './ids';
import { type Condition, describeCondition, isDue, pagerDutyEscalationRule, TIMER_RULES, type TimerRule, timerCondition } from './rules';

export interface EscalationWorkerDeps {
  incidents: IncidentStore;
  escalations: EscalationStore;
  timers: Timers;
  outbox: Outbox;
  writer: Writer;
  clock: Clock;
  config: EscalationConfig;
  /** Where incident briefs are posted: the escalation notice is a reply in that thread. */
  incidentsChannel: string;
  log?: (message: string, detail: Record<string, unknown>) => void;
  /** Where expired approvals are read back from; without it `approval.expired` is ignored. */
  approvals?: ApprovalStore;
  /** Who may write each escalation (one model call per document). */
  claims: WriteClaims;
  /** How a worker that lost a write claim waits (virtual time in tests). */
  sleep?: (ms: number) => Promise<void>;
}

/** What a fired incident timer carries back. */
export interface IncidentTimerPayload extends TimerPayload {
  kind: 'incident';
  incidentKey: string;
  rule: TimerRule;
}

/** How long a condition found already overdue on an event waits for the rest of its burst. */
export const OVERDUE_SETTLE_MS = 30_000;

/** A timer that fires up to this early still counts as due (clock skew between hosts). */
const EARLY_FIRE_TOLERANCE_MS = 1000;

/**
 * Incident events: record the event (the incident worker may not have yet; the append is
 * idempotent), fold the timeline, then for each timer rule start, move or cancel its timer
 * (one found overdue fires after a short settle); PagerDuty's own `incident.escalated` on an
 * open P1/P2 escalates at once.
 */
export async function handleEscalationEvent(event: CanonicalEvent, deps: EscalationWorkerDeps): Promise<void> {
  if (event.type === 'approval.expired' && deps.approvals) return handleApprovalExpired(event, { ...deps, approvals: deps.approvals });
  if (!event.type.startsWith('incident.')) return;
  const key = incidentKeyOf(event);
  await deps.incidents.appendIncidentEvent(key, event);
  const events = (await deps.incidents.loadIncident(key)).timeline.map((entry) => entry.event);
  const state = foldIncident(events);
  const now = deps.clock.now();

  const escalated = pagerDutyEscalationRule(state, event);
  if (escalated) await escalate(key, state, escalated, deps, event);

  for (const rule of TIMER_RULES) {
    const condition = timerCondition(rule, state, deps.config);
    const id = timerId(key, rule);
    if (!condition) {
      // Nothing was scheduled before the first event; afterwards a clearing is worth a delete.
      if (event.type !== 'incident.triggered') await bestEffort(deps, 'cancel', id, () => deps.timers.cancel(id));
    } else if (!(await deps.escalations.get(key, rule))?.sentAt) {
      // Already overdue when we hear of it (a backlog, a replay, a late webhook): the events that
      // clear it may be right behind this one, so the timer re-checks once they have had time to land.
      const fireAt = isDue(condition, now) ? now.getTime() + OVERDUE_SETTLE_MS : Date.parse(condition.dueAt);
      const payload: IncidentTimerPayload = { kind: 'incident', incidentKey: key, rule };
      await deps.timers.schedule(id, new Date(fireAt), payload);
    }
  }
}

/**
 * A timer fired: the condition is checked again against DynamoDB. Cleared (acknowledged,
 * resolved, priority lowered): nothing happens. Due: escalate (once, whatever the number of
 * fires). Not yet due (the deadline moved later): schedule again.
 */
export async function handleTimerFired(payload: TimerPayload, deps: EscalationWorkerDeps): Promise<'escalated' | 'cleared' | 'rescheduled'> {
  if (payload.kind !== 'incident' || !payload.incidentKey || !TIMER_RULES.includes(payload.rule as TimerRule)) {
    throw new Error(`Unknown timer payload: ${JSON.stringify(payload)}`);
  }
  const key = payload.incidentKey;
  const rule = payload.rule as TimerRule;
  const events = (await deps.incidents.loadIncident(key)).timeline.map((entry) => entry.event);
  if (events.length === 0) return 'cleared';
  const state = foldIncident(events);
  const condition = timerCondition(rule, state, deps.config);
  if (!condition) return 'cleared';
  const now = deps.clock.now();
  if (!isDue(condition, new Date(now.getTime() + EARLY_FIRE_TOLERANCE_MS))) {
    await deps.timers.schedule(timerId(key, rule), new Date(condition.dueAt), payload);
    return 'rescheduled';
  }
  await escalate(key, state, condition, deps);
  return 'escalated';
}

async function escalate(key: string, state: IncidentState, condition: Condition, deps: EscalationWorkerDeps, event?: CanonicalEvent): Promise<void> {
  const record = await escalateOnce(
    {
      key,
      rule: condition.rule,
      reason: describeCondition(condition, deps.clock.now()),
      label: incidentLabel(state),
      title: state.title,
      ...(state.url ? { url: state.url } : {}),
      ...(event ? { eventId: event.id } : {}),
      write: (firedAt) => deps.writer.write(incidentEscalationRequest(state, condition, firedAt)),
      notice: (escalation) => incidentNotice(escalation, deps),
    },
    deps,
  );
  // A later `incident.escalated` for the same incident goes into the escalation's thread.
  if (event && record.eventId && record.eventId !== event.id) {
    await deps.outbox.send({
      id: `${record.messageId}#again#${outboxSafe(event.id)}`,
      kind: 'escalation.repeat',
      channel: deps.config.channel,
      parentId: record.messageId,
      ...repeatNotice(state, event.occurredAt),
    });
  }
}

/**
 * The incident's own thread says it was escalated and why; a brief not recorded yet (its
 * worker has not run) has no thread to reply in, and the escalation itself has gone out.
 */
async function incidentNotice(record: EscalationRecord, deps: EscalationWorkerDeps): Promise<void> {
  const briefId = incidentBriefOutboxId(record.subjectKey);
  if (!(await deps.outbox.get(briefId))) {
    deps.log?.('escalation notice skipped: the incident brief is not in the outbox', { incident: record.subjectKey, rule: record.rule });
    return;
  }
  await deps.outbox.send({
    id: `${escalationMessageId(record.subjectKey, record.rule)}#notice`,
    kind: 'escalation.notice',
    channel: deps.incidentsChannel,
    parentId: briefId,
    ...escalationNotice(record.reason, deps.config.channel),
  });
}

async function bestEffort(deps: EscalationWorkerDeps, what: string, id: string, act: () => Promise<void>): Promise<void> {
  try {
    await act();
  } catch (error) {
    // The re-check on fire is what keeps a stale timer harmless.
    deps.log?.(`timer ${what} failed`, { id, error: error instanceof Error ? error.message : String(error) });
  }
}
