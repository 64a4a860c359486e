import { admitToWindow } from '../core/storm-window';
import { documentId } from '../core/document-id';
import type { AttentionDecision, IncidentStormGate, Rollup } from '../ports/attention-store';
import type { AttentionConfig } from './attention-config';

/**
 * Decides how an incident that deserves attention reaches the VP: a brief of its own while few
 * have arrived recently, else a line in the current storm roll-up (or a new one). Pure: the store
 * runs it inside its atomic write.
 */
export function decideAttention(
  gate: IncidentStormGate,
  now: Date,
  config: Pick<AttentionConfig, 'stormThreshold' | 'stormWindowMs'>,
): { decision: AttentionDecision; gate: IncidentStormGate; startsRollup?: Rollup } {
  const at = now.toISOString();
  const admission = admitToWindow(gate.recent ?? [], gate.rollup?.lastAt, now, { threshold: config.stormThreshold, windowMs: config.stormWindowMs });
  if (!admission.fold)
    return { decision: { mode: 'brief', decidedAt: at }, gate: { recent: admission.recent, ...(gate.rollup ? { rollup: gate.rollup } : {}) } };
  if (admission.continues && gate.rollup) {
    return {
      decision: { mode: 'rollup', rollupId: gate.rollup.id, decidedAt: at },
      gate: { recent: admission.recent, rollup: { ...gate.rollup, lastAt: at } },
    };
  }
  const rollup = { id: rollupDocumentId(now), startedAt: at };
  return {
    decision: { mode: 'rollup', rollupId: rollup.id, decidedAt: at },
    gate: { recent: admission.recent, rollup: { ...rollup, lastAt: at } },
    startsRollup: rollup,
  };
}

/** The outbox id of the roll-up that starts at `now`: also its thread's parent. */
export function rollupDocumentId(now: Date): string {
  return documentId('incident', 'rollup', String(now.getTime()));
}
