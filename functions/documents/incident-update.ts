import * as z from 'zod/mini';
import { type ComposedDocument, defineDocumentKind } from './kind';
import { changeFactsShape, incidentFactsShape } from './incident-facts';
import { listInWords } from './template-text';

const facts = z.object({ ...incidentFactsShape, ...changeFactsShape });
type UpdateFacts = z.output<typeof facts>;

/** One thread reply per incident event after the brief. */
export const incidentUpdate = defineDocumentKind({
  kind: 'incident.update',
  spec: {
    purpose: 'an existing incident changed: what changed since the last message, what it means, and whether the next step or decision changed',
    requiredSections: ['Where it stands'],
    maxChars: 900,
    urgency: 'reply',
    model: 'fast',
    // Who acknowledged, who it went to, the new priority: the template says it exactly, so no model is paid to.
    templateFor: { fact: 'change', values: ['incident.acknowledged', 'incident.escalated', 'incident.reassigned', 'incident.priority_updated'] },
  },
  facts,
  template: ({ facts: f, untrusted }): ComposedDocument => {
    const sections = [];
    if (untrusted.note) sections.push({ heading: 'Note', body: untrusted.note });
    if (untrusted.statusUpdate) sections.push({ heading: 'Status update', body: untrusted.statusUpdate });
    sections.push({ heading: 'Where it stands', body: whereItStands(f) });
    return { headline: headline(f, untrusted.title), sections };
  },
});

function headline(f: UpdateFacts, title: string | undefined): string {
  const by = f.changedBy ? ` by ${f.changedBy}` : '';
  const to = f.assignees.length > 0 ? ` to ${listInWords(f.assignees)}` : '';
  switch (f.change) {
    case 'incident.acknowledged':
      return `Acknowledged${by}`;
    case 'incident.escalated':
      return `Escalated${to}`;
    case 'incident.reassigned':
      return `Reassigned${to}`;
    case 'incident.priority_updated':
      return f.priority ? `Priority changed to ${f.priority}` : 'Priority removed';
    case 'incident.annotated':
      return `Note${f.changedBy ? ` from ${f.changedBy}` : ''}`;
    case 'incident.status_update_published':
      return `Status update${f.changedBy ? ` from ${f.changedBy}` : ''}`;
    case 'incident.triggered':
      return 'Incident details refreshed';
    default:
      return title ?? 'Incident update';
  }
}

function whereItStands(f: UpdateFacts): string {
  const who = listInWords(f.assignees);
  const are = f.assignees.length > 1 ? 'are' : 'is';
  const state = {
    triggered: f.assignees.length > 0 ? `Not acknowledged yet; assigned to ${who}.` : 'Not acknowledged yet, and nobody is assigned.',
    acknowledged: f.assignees.length > 0 ? `${who} ${are} working it.` : 'Acknowledged and being worked.',
    resolved: 'Resolved.',
  }[f.status];
  const priority = f.priority ? `Priority ${f.priority}` : 'No priority set';
  return `${state} ${priority}${f.changedAt ? `, as of ${f.changedAt}` : ''}.`;
}
