import { admitToWindow, type StormWindowSettings } from '../core/storm-window';
import type { EscalationRecord, Storm, StormEntry, StormGate } from '../ports/escalation-store';

export type StormSettings = StormWindowSettings;

/**
 * Decides how a new escalation is delivered: on its own, or as a line in the storm message
 * (see `admitToWindow`). Pure: the store runs it inside its atomic write.
 */
export function decideDelivery(
  gate: StormGate,
  now: Date,
  entry: StormEntry,
  single: Omit<EscalationRecord, 'mode' | 'messageId'> & { messageId: string },
  settings: StormSettings,
): { record: EscalationRecord; gate: StormGate } {
  const admission = admitToWindow(gate.recent, gate.storm?.lastAt, now, settings);
  if (!admission.fold) return { record: { ...single, mode: 'single' }, gate: { recent: admission.recent, storm: gate.storm } };
  const at = now.toISOString();
  const storm: Storm =
    admission.continues && gate.storm
      ? { ...gate.storm, lastAt: at, entries: [...gate.storm.entries, entry] }
      : { id: stormMessageId(now), startedAt: at, lastAt: at, entries: [entry] };
  return { record: { ...single, mode: 'storm', messageId: storm.id }, gate: { recent: admission.recent, storm } };
}

/** Outbox id of the storm message that starts at `now`. */
export function stormMessageId(now: Date): string {
  return `escalation#storm#${now.toISOString()}`;
}
