import * as z from 'zod/mini';
import { defineDocumentKind } from './kind';
import { type IncidentFacts, incidentFactsShape, incidentLabelOf } from './incident-facts';
import { listInWords } from './template-text';

/** The incident's top-level message: written once, its status line and next step kept current by code. */
export const incidentBrief = defineDocumentKind({
  kind: 'incident.brief',
  spec: {
    purpose:
      'a new incident: what broke in customer terms, customer and business impact as far as the facts allow, who owns it, priority, and the next step or decision needed',
    requiredSections: ['What broke', 'Impact', 'Who owns it', 'Next step'],
    maxChars: 1500,
    urgency: 'high',
    model: 'standard',
  },
  facts: z.object(incidentFactsShape),
  template: ({ facts: f, untrusted }) => {
    const title = untrusted.title ?? 'Untitled incident';
    return {
      headline: `${incidentLabelOf(f)}: ${title}`,
      sections: [
        { heading: 'What broke', body: whatBroke(f, title) },
        { heading: 'Impact', body: impact(f) },
        { heading: 'Who owns it', body: owners(f) },
        { heading: 'Next step', body: nextStep(f) },
      ],
    };
  },
});

function whatBroke(f: IncidentFacts, title: string): string {
  const service = f.service ? ` (service: ${f.service})` : '';
  return [`${title}${service}.`, f.triggeredAt ? `PagerDuty raised it at ${f.triggeredAt}.` : ''].filter(Boolean).join(' ');
}

function impact(f: IncidentFacts): string {
  const level = f.priority ? `${f.priority}, ` : '';
  const service = f.service ?? 'the affected service';
  if (f.urgency === 'high') {
    return `${level}high urgency: treat ${service} as customer-affecting until the responders say otherwise. Customer and revenue impact is not quantified yet.`;
  }
  return `${level}${f.urgency ?? 'unknown'} urgency on ${service}. No customer impact has been reported.`;
}

function owners(f: IncidentFacts): string {
  const team = f.teams.length > 0 ? ` (${listInWords(f.teams)})` : '';
  const who = f.assignees.length > 0 ? `${listInWords(f.assignees)}${team} ${f.assignees.length === 1 ? 'has' : 'have'} it.` : `Nobody is assigned yet${team}.`;
  return [who, f.escalationPolicy ? `Escalation policy: ${f.escalationPolicy}.` : ''].filter(Boolean).join(' ');
}

/**
 * The next step as the incident stands now. The brief's own section is replaced with this when
 * the incident resolves, so a resolved brief never still asks for an acknowledgement.
 */
export function nextStep(f: IncidentFacts): string {
  if (f.status === 'resolved') {
    const by = f.resolvedBy ? ` by ${f.resolvedBy}` : '';
    const at = f.resolvedAt ? ` at ${f.resolvedAt}` : '';
    const after = f.timeToResolve ? `, ${f.timeToResolve} after it was raised` : '';
    return `Resolved${by}${at}${after}. The closing brief is in this thread; nothing is needed from leadership.`;
  }
  if (f.status === 'acknowledged') {
    return `${f.acknowledgedBy ?? 'The on-call responder'} acknowledged it${f.acknowledgedAt ? ` at ${f.acknowledgedAt}` : ''} and is working it. Updates follow in this thread.`;
  }
  return 'Waiting for the on-call responder to acknowledge. Updates follow in this thread; nothing is needed from leadership yet.';
}
