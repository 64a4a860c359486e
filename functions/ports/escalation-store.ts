import type { EscalationRule } from '../escalations/rules';

/** How an escalation reaches the VP: its own message, or a line in the storm message. */
export type EscalationMode = 'single' | 'storm';

/** One escalation: at most one per subject (incident or approval) and rule. */
export interface EscalationRecord {
  subjectKey: string;
  rule: EscalationRule;
  firedAt: string;
  reason: string;
  mode: EscalationMode;
  /** Outbox id of the message that carries it: its own, or the storm message's. */
  messageId: string;
  /** The event that fired it, when an event did (PagerDuty's `incident.escalated`). */
  eventId?: string;
  /** Set once every message about it has been handed to the outbox. */
  sentAt?: string;
}

/** One escalation folded into a storm message. */
export interface StormEntry {
  subjectKey: string;
  rule: EscalationRule;
  /** e.g. `P1 incident #4211`. */
  label: string;
  title: string;
  reason: string;
  firedAt: string;
  url?: string;
}

export interface Storm {
  /** Outbox id of the "several incidents need you" message. */
  id: string;
  startedAt: string;
  lastAt: string;
  entries: StormEntry[];
}

/** Recent escalations across the service: what decides whether the next one is a storm. */
export interface StormGate {
  /** When each escalation in the storm window fired (older ones are dropped). */
  recent: string[];
  storm?: Storm;
}

/** A pure decision taken inside the store's atomic write. */
export type ClaimDecision = (gate: StormGate) => { record: EscalationRecord; gate: StormGate };

export type ClaimResult = { created: true; record: EscalationRecord; storm?: Storm } | { created: false; record: EscalationRecord };

export interface EscalationStore {
  /**
   * Records the escalation unless one exists for this subject and rule, in the same atomic
   * write as the storm gate `decide` moves on. Concurrent claims serialise; exactly one creates.
   */
  claim(subjectKey: string, rule: EscalationRule, decide: ClaimDecision): Promise<ClaimResult>;
  get(subjectKey: string, rule: EscalationRule): Promise<EscalationRecord | undefined>;
  markSent(subjectKey: string, rule: EscalationRule, at: Date): Promise<void>;
  /** A storm's current entries (read consistently). */
  storm(id: string): Promise<Storm | undefined>;
  /** Every escalation of one subject. */
  forSubject(subjectKey: string): Promise<EscalationRecord[]>;
}
