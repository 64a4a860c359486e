import type { DocumentKind } from '../ports/writer';

export interface KindSpec {
  /** What the document is for, told to the model with each request. */
  purpose: string;
  /** Headings the document must have, in this order; the template writer produces exactly these. */
  requiredSections: readonly string[];
  /** Upper bound on headline plus all section text, in characters: executives read on a phone. */
  maxChars: number;
}

/** One table for both writers, the prompt, the check and the evaluation. */
export const kindSpecs: Record<DocumentKind, KindSpec> = {
  'incident.brief': {
    purpose: 'a new incident: what broke in customer terms, customer and business impact as far as the facts allow, who owns it, priority, and the next step or decision needed',
    requiredSections: ['What broke', 'Impact', 'Who owns it', 'Next step'],
    maxChars: 1500,
  },
  'incident.update': {
    purpose: 'an existing incident changed: what changed since the last message, what it means, and whether the next step or decision changed',
    requiredSections: ['Where it stands'],
    maxChars: 900,
  },
  'incident.closing': {
    purpose: 'an incident is resolved: the outcome, time to acknowledge and time to resolve exactly as given, follow-ups the facts name, and thanks to the named responders',
    requiredSections: ['Outcome', 'Timeline', 'Thanks', 'Follow-up'],
    maxChars: 1500,
  },
  escalation: {
    purpose:
      'something needs leadership attention now: why it is escalated now, what is known (only what the facts say), the recommended action and who should take it, by when, and a two-or-three sentence note in plain business language (no jargon, no figures beyond the facts) that the VP can forward to non-technical stakeholders',
    requiredSections: ['Why it is escalated', 'What is known', 'What is needed', 'By when', 'For stakeholders'],
    maxChars: 1800,
  },
  'approval.request': {
    purpose: 'a short case for a decision the approvers make with a button: what is asked, cost or scope as the facts give it, risks, a recommendation (or that the facts do not support one), and open questions',
    requiredSections: ['The ask', 'Cost and scope', 'Risks', 'Recommendation', 'Open questions'],
    maxChars: 1800,
  },
  digest: {
    purpose: 'the morning digest: narrate the metrics given, section by section, in the order given; a quiet period is said to be quiet; never compute a new figure',
    requiredSections: ['Incidents', 'Availability', 'Delivery', 'Approvals', 'Hiring', 'Wins'],
    // DORA adds up to six lines (about 900 characters) to Delivery.
    maxChars: 4500,
  },
};

/**
 * Words an approval request may never use about its own request: only an approver's click
 * decides, so "already approved", "signed off" or "needs no decision" is either an injection
 * the model obeyed or a guess. (A recommendation such as "Approve this" is allowed.)
 */
const DECISION_CLAIM = /\b(?:already|has been|have been|was|were|is|got)\s+(?:approved|rejected|signed off|declined)\b|\bapproved by\b|\bsigned off\b|\bno (?:decision|approval) (?:is )?(?:needed|required)\b|\bneeds no (?:decision|approval)\b/i;

/** Structural problems with a document: missing required sections, length overruns, decision claims. */
export function structuralProblems(kind: DocumentKind, document: { headline: string; sections: readonly { heading: string; body: string }[] }): string[] {
  const spec = kindSpecs[kind];
  const problems: string[] = [];
  for (const missing of missingSections(kind, document)) problems.push(`missing the required section "${missing}"`);
  const length = documentLength(document);
  if (length > spec.maxChars) problems.push(`${length} characters, over the ${spec.maxChars}-character limit for ${kind}`);
  if (kind === 'approval.request') {
    for (const [where, text] of [['headline', document.headline] as const, ...document.sections.map((section, i) => [`sections[${i}].body`, section.body] as const)]) {
      const claim = DECISION_CLAIM.exec(text);
      if (claim) problems.push(`"${claim[0]}" in ${where} claims the request is decided; only the approvers' buttons decide`);
    }
  }
  return problems;
}

/** Required headings the document lacks, in the required order. */
export function missingSections(kind: DocumentKind, document: { sections: readonly { heading: string }[] }): string[] {
  const headings = new Set(document.sections.map((section) => normaliseHeading(section.heading)));
  return kindSpecs[kind].requiredSections.filter((required) => !headings.has(normaliseHeading(required)));
}

export function documentLength(document: { headline: string; sections: readonly { heading: string; body: string }[] }): number {
  return document.headline.length + document.sections.reduce((sum, section) => sum + section.heading.length + section.body.length, 0);
}

function normaliseHeading(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}
