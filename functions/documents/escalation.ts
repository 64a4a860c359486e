import * as z from 'zod/mini';
import { defineDocumentKind, fact } from './kind';
import { capitalise, sentence } from './template-text';

/** What a stakeholder note says when the producer has none of its own. */
const STAKEHOLDER_FALLBACK =
  'Something needs a decision from engineering leadership and has been escalated to them. We will share what it means for customers and the business once it is decided.';

/**
 * Something needs the VP now (an incident or an expired approval). Every escalation is built
 * by one builder per subject (`functions/escalations/escalation-documents.ts` for incidents,
 * `functions/escalations/approval-escalation.ts` for approvals); extra context facts (the
 * incident's own) ride along as evidence.
 */
export const escalation = defineDocumentKind({
  kind: 'escalation',
  spec: {
    purpose:
      'something needs leadership attention now: why it is escalated now, what is known (only what the facts say), the recommended action and who should take it, by when, and a two-or-three sentence note in plain business language (no jargon, no figures beyond the facts) that the VP can forward to non-technical stakeholders',
    requiredSections: ['Why it is escalated', 'What is known', 'What is needed', 'By when', 'For stakeholders'],
    maxChars: 1800,
    urgency: 'immediate',
    model: 'standard',
    // PagerDuty's own escalation to the next responder (most incidents have one, minutes after the brief): every fact,
    // the stakeholder note included, is built by code, so the template says it exactly. The service's own escalations
    // (unacknowledged, open too long) and expired approvals, which ask leadership to act, stay with the model.
    templateFor: { fact: 'rule', values: ['pagerduty-escalated'] },
  },
  facts: z.catchall(
    z.object({
      /** `P1 incident #4211`, `FIN-88`. */
      subject: fact.text,
      reason: fact.text,
      /** One sentence per line, each built by code. */
      known: fact.list,
      /** What should happen, as a verb phrase: "confirm that Marco Diaz is working it". */
      needed: fact.text,
      /** Who should do it, as a noun phrase: "the Payments engineering manager and the VP of Engineering". */
      neededFrom: fact.text,
      deadline: fact.maybeText,
      stakeholderNote: fact.maybeText,
    }),
    fact.any,
  ),
  template: ({ facts: f, untrusted }) => ({
    headline: `Escalation: ${untrusted.title ? `${f.subject}: ${untrusted.title}` : f.subject}`,
    sections: [
      { heading: 'Why it is escalated', body: sentence(f.reason) },
      { heading: 'What is known', body: f.known.length > 0 ? f.known.join('\n') : 'Nothing beyond the reason above is recorded.' },
      { heading: 'What is needed', body: sentence(`${capitalise(f.neededFrom)} should ${f.needed}`) },
      { heading: 'By when', body: f.deadline ? sentence(f.deadline) : 'As soon as possible: no deadline is recorded.' },
      { heading: 'For stakeholders', body: f.stakeholderNote ?? STAKEHOLDER_FALLBACK },
    ],
  }),
});
