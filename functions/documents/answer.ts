import * as z from 'zod/mini';
import { defineDocumentKind, fact } from './kind';

/**
 * The answer to a question the VP asked in Slack. The Claude answerer writes it from tool
 * results (functions/ask/claude-answerer.ts) and is checked against this spec; the code-built
 * answerer and the refusals fill these facts and this template words them. The question is not
 * a fact: it is untrusted text, and a figure the asker supplies is not thereby true.
 */
export const answer = defineDocumentKind({
  kind: 'answer',
  spec: {
    purpose:
      'an answer to a question the VP of Engineering asked the chief of staff in Slack: the direct answer first, then the figures behind it from the tool results, said exactly as the tools gave them; what the tools could not tell is said to be unknown',
    requiredSections: ['Answer'],
    maxChars: 2500,
    // The VP asked and is waiting in the thread: ahead of routine posts, behind an incident page.
    urgency: 'high',
    model: 'standard',
    // 2,500 characters of JSON-wrapped text, with room for the headline and headings.
    maxOutputTokens: 1500,
  },
  facts: z.object({
    /** One line that answers: "P1 #4212 open; 3 approvals waiting for you; …". */
    headline: fact.text,
    /** The direct answer, the body of the "Answer" section. */
    answer: fact.text,
    /** The sections behind the answer, heading and body at the same index (lines built by the tools' code). */
    headings: fact.list,
    bodies: fact.list,
  }),
  template: ({ facts: f }) => ({
    headline: f.headline,
    sections: [{ heading: 'Answer', body: f.answer }, ...f.headings.map((heading, i) => ({ heading, body: f.bodies[i] || 'Nothing recorded.' }))],
  }),
});
