import * as z from 'zod/mini';
import { defineDocumentKind } from './kind';
import { changeFactsShape, type IncidentFacts, incidentFactsShape, incidentLabelOf } from './incident-facts';
import { listInWords } from './template-text';

/** The reply that closes an incident's thread: outcome, the measured times, thanks, follow-up. */
export const incidentClosing = defineDocumentKind({
  kind: 'incident.closing',
  spec: {
    purpose:
      'an incident is resolved: the outcome, time to acknowledge and time to resolve exactly as given, follow-ups the facts name, and thanks to the named responders',
    requiredSections: ['Outcome', 'Timeline', 'Thanks', 'Follow-up'],
    maxChars: 1500,
    urgency: 'reply',
    model: 'fast',
    guidance: 'Say the times to acknowledge and to resolve exactly as the facts write them. With no follow-up in the facts, say none is recorded yet.',
  },
  facts: z.object({ ...incidentFactsShape, ...changeFactsShape }),
  template: ({ facts: f, untrusted }) => ({
    headline: `Resolved: ${incidentLabelOf(f)}: ${untrusted.title ?? 'Untitled incident'}`,
    sections: [
      { heading: 'Outcome', body: outcome(f) },
      { heading: 'Timeline', body: timeline(f) },
      { heading: 'Thanks', body: thanks(f) },
      { heading: 'Follow-up', body: followUp(f) },
    ],
  }),
});

function outcome(f: IncidentFacts): string {
  const by = f.resolvedBy ? ` by ${f.resolvedBy}` : '';
  const at = f.resolvedAt ? ` at ${f.resolvedAt}` : '';
  return `Resolved${by}${at}. ${f.service ?? 'The service'} is back to normal as far as PagerDuty shows.`;
}

function timeline(f: IncidentFacts): string {
  return [
    `Raised: ${f.triggeredAt ?? 'not recorded'}`,
    f.acknowledgedAt
      ? `Acknowledged: ${f.acknowledgedAt}${f.timeToAcknowledge ? ` (time to acknowledge ${f.timeToAcknowledge})` : ''}`
      : 'Acknowledged: not before it was resolved',
    `Resolved: ${f.resolvedAt ?? 'not recorded'}${f.timeToResolve ? ` (time to resolve ${f.timeToResolve})` : ''}`,
  ].join('\n');
}

function thanks(f: IncidentFacts): string {
  const people = [...new Set([...f.assignees, f.acknowledgedBy, f.resolvedBy].filter((p): p is string => !!p))];
  return people.length > 0 ? `Thank you, ${listInWords(people)}, for the response.` : 'Thank you to everyone who responded.';
}

function followUp(f: IncidentFacts): string {
  const major = f.priority === 'P1' || f.priority === 'P2' || f.urgency === 'high';
  return major
    ? 'A blameless post-incident review should follow; I will ask the owning team for a date.'
    : 'No review is planned unless the owning team wants one.';
}
