import { defaultUrgency, documents, messageKinds } from '../documents/registry';
import { URGENCIES, type Urgency } from '../documents/kind';
import type { OutgoingDocument } from '../ports/outbox';

/**
 * The document's urgency: its own, else its kind's in the registry (`spec.urgency`); a kind
 * the registry does not list is `reply` in a thread and `routine` elsewhere.
 */
export function urgencyOf(document: Pick<OutgoingDocument, 'kind' | 'parentId' | 'urgency'>): Urgency {
  if (document.urgency) return document.urgency;
  if (documents.has(document.kind) || Object.hasOwn(messageKinds, document.kind)) return defaultUrgency(document.kind);
  return document.parentId ? 'reply' : 'routine';
}

/** 0 for the most urgent; records written before urgency existed count as `routine`. */
export function urgencyRank(urgency: Urgency | undefined): number {
  const rank = URGENCIES.indexOf(urgency ?? 'routine');
  return rank < 0 ? URGENCIES.length - 1 : rank;
}
