import { MetricNames } from '../core/metric-names';
import { metrics } from '../core/metrics';
import type { Clock } from '../ports/clock';
import type { EscalationRecord, EscalationStore, StormEntry } from '../ports/escalation-store';
import type { Outbox } from '../ports/outbox';
import type { WriteClaims } from '../ports/write-claims';
import { writeOnce, writingDeps } from '../outbox/write-once';
import type { WrittenDocument } from '../ports/writer';
import { type EscalationConfig, STORM_WINDOW_MS } from './escalation-config';
import { renderEscalation, renderStorm } from './escalation-documents';
import { escalationMessageId } from './ids';
import type { EscalationRule } from './rules';
import { decideDelivery } from './storm';

/** What `escalateOnce` needs: the escalation records, the outbox, the clock, the channel settings and the write-once claims. */
export interface EscalateDeps {
  escalations: EscalationStore;
  outbox: Outbox;
  clock: Clock;
  config: EscalationConfig;
  /** Two workers that both find the escalation unsent call the writer once between them. */
  claims: WriteClaims;
  /** How a worker that lost the write claim waits for the holder's document (virtual time in tests). */
  sleep?: (ms: number) => Promise<void>;
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
export async function escalateOnce(subject: EscalationSubject, deps: EscalateDeps): Promise<EscalationRecord> {
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
    await writeOnce(writingDeps(deps), {
      id: record.messageId,
      write: () => subject.write(new Date(record.firedAt)),
      send: (document) =>
        deps.outbox.send({
          id: record.messageId,
          kind: 'escalation',
          channel: deps.config.channel,
          ...renderEscalation(document, deps.config.userId),
          document,
        }),
    });
  } else {
    await refreshStorm(record.messageId, deps);
  }
  await subject.notice?.(record);
  await deps.escalations.markSent(record.subjectKey, record.rule, deps.clock.now());
  metrics.record(MetricNames.escalations, 1, 'Count', { rule: record.rule });
  return record;
}

/**
 * Brings the storm message up to date with every entry recorded so far. Two workers folding
 * at once may revise in either order, so each re-reads after revising and revises again
 * until what it last wrote is the latest (a few rounds at most).
 */
async function refreshStorm(stormId: string, deps: Omit<EscalateDeps, 'clock'>): Promise<void> {
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
