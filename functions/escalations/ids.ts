import type { CanonicalEvent } from '../core/canonical-event';
import type { EscalationRule } from './rules';

/** The incident's key in the store (`<source>#<id>`), as the incident worker keys it. */
export function incidentKeyOf(event: CanonicalEvent): string {
  return `${event.source}#${event.subject.id}`;
}

/** Outbox ids allow letters, digits, `#`, `:`, `-`, `_` and `.`; anything else becomes `_`. */
export function outboxSafe(text: string): string {
  return text.replace(/[^0-9A-Za-z#:_.-]/g, '_');
}

/** The escalation's own message (or, when it was folded into a storm, the id its notices hang off). */
export function escalationMessageId(subjectKey: string, rule: EscalationRule): string {
  return outboxSafe(`escalation#${subjectKey}#${rule}`);
}

/** The timer that waits for one rule of one incident. */
export function timerId(incidentKey: string, rule: EscalationRule): string {
  return outboxSafe(`escalation#${incidentKey}#${rule}`);
}

/** The outbox id of an incident's brief (the incident worker's own): the thread the escalation notice replies in. */
export { incidentBriefId as incidentBriefOutboxId } from '../incidents/document-ids';
