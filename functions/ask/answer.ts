import type { Link } from '../core/canonical-event';
import { answer as answerKind } from '../documents/answer';
import type { FactsOf } from '../documents/registry';
import type { DocumentSection, WriteUsage, WrittenDocument } from '../ports/writer';

/** The answer kind (functions/documents/answer.ts): its spec, facts and template are in the document registry. */
export const ANSWER_KIND = answerKind.kind;

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

/**
 * An answer built by code (the code-built answerer, a refusal), worded by the answer kind's
 * template: the one place that words it.
 */
export function codeBuiltAnswer(facts: FactsOf<'answer'>, links: readonly Link[], answeredBy: 'code' | 'refusal'): Answer {
  return { ...answerKind.template({ facts, untrusted: {}, links }), links: [...links], answeredBy };
}

/** The answer as a written document, for the outbox and the Slack renderer. */
export function answerDocument(answer: Answer): WrittenDocument {
  return {
    kind: ANSWER_KIND,
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
