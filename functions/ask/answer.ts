import type { Link } from '../core/canonical-event';
import type { DocumentKind, DocumentSection, WriteUsage, WrittenDocument } from '../ports/writer';

/*
 * The answer to a question, as a document. Its spec is kept here until the document-kind
 * registry (functions/documents/) lands; then it moves there as one module and one registry line.
 */

export const ANSWER_KIND = 'answer';

export const answerSpec = {
  purpose:
    'an answer to a question the VP of Engineering asked the chief of staff in Slack: the direct answer first, then the figures behind it from the tool results, said exactly as the tools gave them; what the tools could not tell is said to be unknown',
  requiredSections: ['Answer'],
  maxChars: 2500,
} as const;

export interface Answer {
  headline: string;
  sections: DocumentSection[];
  /** Links to what the answer rests on: attached by code from the tools' results, never by the model. */
  links: Link[];
  /** `claude:<model>`, `code` (the code-built answerer) or `refusal`. */
  answeredBy: string;
  fallbackReason?: string;
  violations?: string[];
  usage?: WriteUsage;
}

/** The answer as a written document, for the outbox and the Slack renderer. */
export function answerDocument(answer: Answer): WrittenDocument {
  return {
    // Not yet in DOCUMENT_KINDS: the registry that will list it is being built (see the file comment).
    kind: ANSWER_KIND as DocumentKind,
    headline: answer.headline,
    sections: answer.sections,
    links: answer.links,
    writer: answer.answeredBy === 'code' || answer.answeredBy === 'refusal' ? 'template' : answer.answeredBy,
    ...(answer.fallbackReason ? { fallbackReason: answer.fallbackReason } : {}),
    ...(answer.violations?.length ? { violations: answer.violations } : {}),
    ...(answer.usage ? { usage: answer.usage } : {}),
  };
}

/** Headline and sections as plain text: what a conversation turn keeps for the next question. */
export function answerText(answer: Pick<Answer, 'headline' | 'sections'>): string {
  return [answer.headline, ...answer.sections.map((section) => `${section.heading}: ${section.body}`)].join('\n');
}

/** Links once each, in order, at most `limit`. */
export function distinctLinks(links: readonly Link[], limit = 6): Link[] {
  return [...new Map(links.map((link) => [link.url, link])).values()].slice(0, limit);
}
