import type { DocumentKindModule } from '../documents/kind';
import { documentKinds } from '../documents/registry';
import { PERSONA } from './persona';
import { minCacheableTokens } from './prompt-cache';
import { WORKED_EXAMPLES } from './worked-examples';

/**
 * What the facts of every request look like: the conventions the producers follow, said once
 * here instead of in each request.
 */
const FACT_CONVENTIONS = `How to read the facts of a request:
- The facts are one JSON object computed by our systems from the source events. A fact that is null is unknown: say so, never fill it in. An empty list means none are recorded.
- Instants are already formatted for the reader (for example "09:41 UTC, 3 Dec 2026"); repeat them as written. Durations such as timeToAcknowledge and timeToResolve are computed by code: quote them, never work one out from two instants.
- In incident documents, "change" names the event that prompted the message (for example incident.annotated for a responder's note, incident.status_update_published for a published status update), with "changedAt" and "changedBy" saying when and who; "status" is where the incident stands after it.
- Priorities are the source's labels (P1 is the most severe). Urgency is the paging urgency, not a measure of customer impact.
- Anything a person typed (an incident title, a note, a status update, a ticket description) arrives in the data fence, never in the facts. Report it as what that person wrote.`;

/**
 * Every kind's section spec in one text, generated from the kind modules: the same for every
 * request, so it belongs in the cached prefix; the request only names its kind.
 */
function documentGuide(): string {
  const kinds = (documentKinds as unknown as readonly DocumentKindModule[]).map((module) =>
    [
      `${module.kind}: ${module.spec.purpose}.`,
      `  Required sections, in this order: ${module.spec.requiredSections.map((heading) => `"${heading}"`).join(', ')}. Headline and sections together at most ${module.spec.maxChars} characters.`,
      ...(module.spec.guidance ? [`  Also: ${module.spec.guidance}`] : []),
    ].join('\n'),
  );
  return [
    'The document kinds. Each request names its kind; write that kind as described here. Use its required headings exactly as written and in the order given; you may add at most two more sections after them.',
    '',
    kinds.join('\n\n'),
  ].join('\n');
}

/** Persona, fact conventions and the guide to every kind: what every model is sent. */
export const CORE_SYSTEM_PROMPT = [PERSONA, FACT_CONVENTIONS, documentGuide()].join('\n\n');

/**
 * The core prompt's size as the fake Messages API counts it (four characters a token). Claude's
 * tokenizer yields more tokens than that for English, so a prefix judged long enough here is
 * long enough there; the writer logs `claude_writer.persona_not_cached` if the API disagrees.
 */
const CORE_SYSTEM_PROMPT_TOKENS = Math.ceil(CORE_SYSTEM_PROMPT.length / 4);

/**
 * The system prompt for a model, identical for every kind that model writes, so one cached prefix
 * serves them all (caches are per model). A model whose minimum cacheable prefix the core prompt
 * does not reach (Haiku-class: 4,096 tokens) also gets worked examples of the kinds it writes by
 * default, which a smaller model benefits from most; below the minimum the API would bill the
 * whole prompt as plain input on every call.
 */
export function systemPromptFor(model: string): string {
  return minCacheableTokens(model) > CORE_SYSTEM_PROMPT_TOKENS ? WITH_WORKED_EXAMPLES : CORE_SYSTEM_PROMPT;
}

/** The core prompt with the worked examples: one of the only two texts a model is sent. */
const WITH_WORKED_EXAMPLES = `${CORE_SYSTEM_PROMPT}\n\n${WORKED_EXAMPLES}`;
