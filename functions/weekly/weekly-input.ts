import type { CanonicalEvent } from '../core/canonical-event';
import type { Page } from './after-hours';
import type { Completion } from './investment';

/*
 * What the weekly update reads beyond the digest's inputs, taken from the same records read
 * through the time index: pages (who was made responsible for an incident, and when), Jira
 * completions with their type and labels, and escalations fired.
 */

/** PagerDuty events that page their assignees. */
export const PAGING_EVENT_TYPES = new Set(['incident.triggered', 'incident.escalated', 'incident.reassigned']);

const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : null);
const list = (value: unknown) => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);

/** Each assignee of each paging event is one page; its team is the incident's first team, else its service. */
export function pagesFrom(items: readonly Record<string, unknown>[]): Page[] {
  const pages: Page[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    if (item.kind !== 'incident-event') continue;
    const event = item.event as CanonicalEvent;
    if (!PAGING_EVENT_TYPES.has(event.type) || seen.has(event.id)) continue;
    seen.add(event.id);
    const names = list(event.facts.assignees);
    const ids = list(event.facts.assigneeIds);
    const team = list(event.facts.teams)[0] ?? text(event.facts.service) ?? 'no team';
    names.forEach((name, index) => {
      pages.push({ person: ids[index] ?? name, team, at: new Date(event.occurredAt).toISOString(), incident: event.subject.key ?? event.subject.id });
    });
  }
  return pages;
}

/** Jira issues entering a "Done"-category status (once per issue and transition), with type and labels. */
export function completionsFrom(items: readonly Record<string, unknown>[]): Completion[] {
  return items
    .filter((item) => item.kind === 'issue-event' && (item.event as CanonicalEvent).facts.done === true)
    .map((item) => {
      const event = item.event as CanonicalEvent;
      return {
        key: event.subject.key ?? event.subject.id,
        issueType: text(event.facts.issueType),
        labels: list(event.facts.labels),
        doneAt: new Date(event.occurredAt).toISOString(),
      };
    });
}

export interface EscalationFired {
  subjectKey: string;
  rule: string;
  firedAt: string;
}

/** Escalations recorded (one per subject and rule) in what was read. */
export function escalationsFrom(items: readonly Record<string, unknown>[]): EscalationFired[] {
  return items
    .filter((item) => item.kind === 'escalation' && typeof item.firedAt === 'string')
    .map((item) => ({ subjectKey: String(item.subjectKey), rule: String(item.rule), firedAt: String(item.firedAt) }));
}
