import { URGENCIES, type OutgoingDocument, type Urgency } from '../ports/outbox';

/**
 * Urgency by document kind when the producer sets none. Escalations go first; a brief is a
 * P2's by default (the incident worker raises a P1's); replies keep their thread's pace.
 * (To move to the document-kind registry's `spec.urgency` once it lands.)
 */
const KIND_URGENCY: Readonly<Record<string, Urgency>> = {
  escalation: 'critical',
  'escalation.storm': 'critical',
  'incident.brief': 'high',
  'incident.rollup': 'high',
};

/** The document's urgency: its own, else its kind's, else `normal` for a thread reply and `low` for the rest. */
export function urgencyOf(document: Pick<OutgoingDocument, 'kind' | 'parentId' | 'urgency'>): Urgency {
  return document.urgency ?? KIND_URGENCY[document.kind] ?? (document.parentId ? 'normal' : 'low');
}

/** 0 for the most urgent; records written before urgency existed count as `low`. */
export function urgencyRank(urgency: Urgency | undefined): number {
  const rank = URGENCIES.indexOf(urgency ?? 'low');
  return rank < 0 ? URGENCIES.length - 1 : rank;
}
