import type { FactValue, Link } from '../core/canonical-event';
import type { ConversationTurn } from '../ports/conversation-store';
import type { DocumentSection } from '../ports/writer';
import { structuralProblems } from '../writer/document-kinds';
import { checkGrounding, describeViolation } from '../writer/grounding';
import { PERSONA } from '../writer/persona';
import { ANSWER_KIND } from './answer';
import { ASK_INSTRUCTIONS } from './ask-prompt';
import type { ToolOutput } from './tools';

/** An answer that says it acted: nothing it can call acts, so this is either an obeyed injection or a falsehood. */
const ACTED_CLAIM =
  /\b(?:I|I've|I have|we have|I've now|has now been|it is now|it's now)\s+(?:just\s+)?(?:approved|rejected|declined|signed off|posted|paged|deleted|escalated|resolved|acknowledged)\b/i;

/** Words in a row that, found in an answer, mean it is quoting its own instructions. */
const LEAK_WINDOW = 8;
const words = (text: string) => text.toLowerCase().match(/[a-z0-9']+/g) ?? [];
const windows = (list: string[]) => new Set(list.slice(0, Math.max(0, list.length - LEAK_WINDOW + 1)).map((_, i) => list.slice(i, i + LEAK_WINDOW).join(' ')));
const INSTRUCTION_WINDOWS = windows(words(`${PERSONA}\n${ASK_INSTRUCTIONS}`));

/**
 * The evidence an answer may rest on: every value in the tools' results (flattened to one
 * fact each), the labels of the links they returned, and the thread's earlier answers (checked
 * when they were given). The question itself is not evidence: a figure the asker supplies
 * is not thereby true.
 */
export function answerEvidence(
  outputs: readonly ToolOutput[],
  history: readonly ConversationTurn[],
  askedAt: string,
): { facts: Record<string, FactValue>; untrusted: Record<string, string>; links: Link[] } {
  const facts: Record<string, FactValue> = { askedAt };
  const add = (path: string, value: unknown): void => {
    if (typeof value === 'string' || typeof value === 'number') facts[path] = value;
    else if (Array.isArray(value)) value.forEach((item, i) => add(`${path}[${i}]`, item));
    else if (value && typeof value === 'object') for (const [key, child] of Object.entries(value)) add(`${path}.${key}`, child);
  };
  outputs.forEach((output, i) => add(`tool${i}`, output.result));
  const untrusted = Object.fromEntries(history.filter((turn) => turn.answer).map((turn, i) => [`earlierAnswer${i}`, turn.answer ?? '']));
  return { facts, untrusted, links: outputs.flatMap((output) => output.links) };
}

/** Every problem with an answer draft: a missing "Answer" section, length, ungrounded claims, claims to have acted, quoted instructions. */
export function answerProblems(draft: { headline: string; sections: readonly DocumentSection[] }, evidence: ReturnType<typeof answerEvidence>): string[] {
  // The answer kind's spec (required "Answer" section, length) as every document kind is checked.
  const problems = structuralProblems(ANSWER_KIND, draft);
  problems.push(...checkGrounding(draft, evidence).map(describeViolation));
  const texts = [draft.headline, ...draft.sections.flatMap((section) => [section.heading, section.body])];
  for (const text of texts) {
    const claim = ACTED_CLAIM.exec(text);
    if (claim) problems.push(`"${claim[0]}" claims an action; nothing you can call acts, so say what the facts are and who decides`);
  }
  const answerWords = words(texts.join('\n'));
  if ([...windows(answerWords)].some((window) => INSTRUCTION_WINDOWS.has(window)))
    problems.push('the answer quotes its instructions; answer the question instead');
  return problems;
}
