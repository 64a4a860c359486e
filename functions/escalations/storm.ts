import type { EscalationRecord, Storm, StormEntry, StormGate } from '../ports/escalation-store';

export interface StormSettings {
  /** More than this many escalations within `windowMs` fold into one message. */
  threshold: number;
  windowMs: number;
}

/**
 * Decides how a new escalation is delivered. Escalations fired within the window are
 * counted; once `threshold` of them are in it, the next ones fold into one storm message,
 * which stays the same message while escalations keep arriving within the window of each
 * other. Pure: the store runs it inside its atomic write.
 */
export function decideDelivery(
  gate: StormGate,
  now: Date,
  entry: StormEntry,
  single: Omit<EscalationRecord, 'mode' | 'messageId'> & { messageId: string },
  settings: StormSettings,
): { record: EscalationRecord; gate: StormGate } {
  const since = now.getTime() - settings.windowMs;
  const recent = gate.recent.filter((at) => Date.parse(at) > since);
  const at = now.toISOString();
  if (recent.length < settings.threshold) {
    return { record: { ...single, mode: 'single' }, gate: { recent: [...recent, at], storm: gate.storm } };
  }
  const current = gate.storm && Date.parse(gate.storm.lastAt) > since ? gate.storm : undefined;
  const storm: Storm = current
    ? { ...current, lastAt: at, entries: [...current.entries, entry] }
    : { id: stormMessageId(now), startedAt: at, lastAt: at, entries: [entry] };
  return { record: { ...single, mode: 'storm', messageId: storm.id }, gate: { recent: [...recent, at], storm } };
}

/** Outbox id of the storm message that starts at `now`. */
export function stormMessageId(now: Date): string {
  return `escalation#storm#${now.toISOString()}`;
}
