import type { CanonicalEvent } from '../core/canonical-event';
import { maskPersonalText } from '../core/personal-data';
import { safeHttpUrl } from '../core/safe-url';
import { formatInstant } from '../core/durations';
import type { FactValue } from '../core/canonical-event';
import type { DocumentKind, FactsOf } from '../documents/registry';
import type { WriteRequestOf } from '../ports/writer';

/** Facts that are free text written by a person at the source: they travel fenced, as untrusted data. */
const FREE_TEXT_FACTS = new Set(['descriptionExcerpt', 'note', 'statusUpdate']);

/**
 * What a writer may use to write about one canonical event (an approval request for a Jira
 * issue or an offer, an escalation): its facts, its people by role, when it happened, and the
 * links back to the source, with the title and free text kept apart as untrusted data.
 * `extra` adds facts computed by the caller (approvers, deadline) and wins over the event's.
 */
export function eventWriteRequest<K extends DocumentKind>(kind: K, event: CanonicalEvent, extra: Partial<FactsOf<K>> = {}): WriteRequestOf<K> {
  const facts: Record<string, FactValue | undefined> = {
    subject: event.subject.key ?? event.subject.id,
    event: event.type,
    occurredAt: formatInstant(event.occurredAt),
  };
  // Contact details pasted into free text are masked here, so the template (posted to Slack)
  // and the model see the same text.
  const untrusted: Record<string, string> = { title: maskPersonalText(event.subject.title) };
  for (const [key, value] of Object.entries(event.facts)) {
    if (FREE_TEXT_FACTS.has(key) && typeof value === 'string') untrusted[key] = maskPersonalText(value);
    else facts[key] = value;
  }
  const byRole = new Map<string, string[]>();
  for (const actor of event.actors) byRole.set(actor.role, [...(byRole.get(actor.role) ?? []), actor.name]);
  for (const [role, names] of byRole) facts[role] = names.length === 1 ? (names[0] ?? null) : names;
  Object.assign(facts, extra);

  const links = [...event.links];
  const subjectUrl = safeHttpUrl(event.subject.url);
  if (subjectUrl && !links.some((link) => link.url === subjectUrl)) links.unshift({ label: event.subject.key ?? event.subject.id, url: subjectUrl });
  // The event's facts vary by source: the kind's schema checks them when the document is written.
  return { kind, facts: facts as FactsOf<K>, untrusted, links };
}
