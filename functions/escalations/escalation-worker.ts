import type { CanonicalEvent } from '../core/canonical-event';
import { foldIncident, type IncidentState } from '../incidents/incident-state';
import type { ApprovalStore } from '../ports/approval-store';
import type { Clock } from '../ports/clock';
import { handleApprovalExpired } from './approval-escalation';
import type { EscalationRecord, EscalationStore, StormEntry } from '../ports/escalation-store';
import type { Outbox } from '../ports/outbox';
import type { IncidentStore } from '../ports/store';
import type { TimerPayload, Timers } from '../ports/timers';
import type { WrittenDocument, Writer } from '../ports/writer';
import type { EscalationConfig } from './escalation-config';
import { escalationNotice, incidentEscalationRequest, incidentLabel, renderEscalation, renderStorm, repeatNotice } from './escalation-documents';
import { escalationMessageId, incidentBriefOutboxId, incidentKeyOf, outboxSafe, timerId } from './ids';
import { type Condition, describeCondition, type EscalationRule, isDue, pagerDutyEscalationRule, TIMER_RULES, type TimerRule, timerCondition } from './rules';
import { decideDelivery } from './storm';
import { STORM_WINDOW_MS } from './escalation-config';
import { MetricNames } from '../core/metric-names';
import { metrics } from '../core/metrics';

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

/** What is escalated: an incident under one rule, or an approval that expired. */
export interface EscalationSubject {
  key: string;
  rule: EscalationRule;
  reason: string;
  /** e.g. `P1 incident #4211`, `budget request OPS-12`. */
  label: string;
  title: string;
  url?: string;
  /** The event that fired it, when an event did. */
  eventId?: string;
  /** The escalation's own document, written only when it gets a message of its own. */
  write(firedAt: Date): Promise<WrittenDocument>;
  /** The short reply in the subject's own thread, when it has one. */
  notice?(record: EscalationRecord): Promise<void>;
}

/**
 * One escalation per subject and rule: a conditional write records it (and whether it is a
 * message of its own or a line in a storm message) before anything is sent. Every later
 * attempt reads that decision and resends through the outbox under the same ids, which the
 * outbox records once, so a crash between the two is repaired by the retry.
 */
export async function escalateOnce(subject: EscalationSubject, deps: Pick<EscalationWorkerDeps, 'escalations' | 'outbox' | 'clock' | 'config'>): Promise<EscalationRecord> {
  const now = deps.clock.now();
  const entry: StormEntry = {
    subjectKey: subject.key,
    rule: subject.rule,
    label: subject.label,
    title: subject.title,
    reason: subject.reason,
    firedAt: now.toISOString(),
    ...(subject.url ? { url: subject.url } : {}),
  };
  const single = {
    subjectKey: subject.key,
    rule: subject.rule,
    firedAt: now.toISOString(),
    reason: subject.reason,
    messageId: escalationMessageId(subject.key, subject.rule),
    ...(subject.eventId ? { eventId: subject.eventId } : {}),
  };
  const { record } = await deps.escalations.claim(subject.key, subject.rule, (gate) =>
    decideDelivery(gate, now, entry, single, { threshold: deps.config.stormThreshold, windowMs: STORM_WINDOW_MS }),
  );
  if (record.sentAt) return record;
  if (record.mode === 'single') {
    const document = await subject.write(new Date(record.firedAt));
    await deps.outbox.send({ id: record.messageId, kind: 'escalation', channel: deps.config.channel, ...renderEscalation(document, deps.config.userId), document });
  } else {
    await refreshStorm(record.messageId, deps);
  }
  await subject.notice?.(record);
  await deps.escalations.markSent(record.subjectKey, record.rule, deps.clock.now());
  metrics.record(MetricNames.escalations, 1, 'Count', { rule: record.rule });
  return record;
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

/**
 * Brings the storm message up to date with every entry recorded so far. Two workers folding
 * at once may revise in either order, so each re-reads after revising and revises again
 * until what it last wrote is the latest (a few rounds at most).
 */
async function refreshStorm(stormId: string, deps: Pick<EscalationWorkerDeps, 'escalations' | 'outbox' | 'config'>): Promise<void> {
  let shown = -1;
  for (let round = 0; round < 5; round++) {
    const storm = await deps.escalations.storm(stormId);
    if (!storm || storm.entries.length === shown) return;
    const content = renderStorm(storm, deps.config.userId);
    const sent = await deps.outbox.send({ id: stormId, kind: 'escalation.storm', channel: deps.config.channel, ...content });
    if (sent.text !== content.text) await deps.outbox.revise(stormId, content);
    shown = storm.entries.length;
  }
}

async function bestEffort(deps: EscalationWorkerDeps, what: string, id: string, act: () => Promise<void>): Promise<void> {
  try {
    await act();
  } catch (error) {
    // The re-check on fire is what keeps a stale timer harmless.
    deps.log?.(`timer ${what} failed`, { id, error: error instanceof Error ? error.message : String(error) });
  }
}
