import * as z from 'zod/mini';
import { defineDocumentKind, fact } from './kind';
import { listInWords } from './template-text';

/**
 * The written part of a storm roll-up: why these incidents are gathered instead of briefed one
 * by one, and how to read the message. Its facts are those of the moment the storm began, so it
 * is written once; the counts and the list of incidents around it are built by code and kept
 * current (`functions/incidents/rollup-message.ts`).
 */
export const incidentRollup = defineDocumentKind({
  kind: 'incident.rollup',
  spec: {
    purpose:
      'many incidents at once (a major event): two or three sentences on what is known from the facts (when it began, the services and priorities so far, the threshold that gathered them), without guessing a common cause; the counts and the list of incidents are shown under it by code',
    requiredSections: ['Summary'],
    maxChars: 700,
    urgency: 'high',
    model: 'fast',
  },
  facts: z.object({
    /** When the roll-up began, formatted. */
    startedAt: fact.text,
    /** More than this many incidents within `window` started it. */
    threshold: fact.number,
    window: fact.text,
    /** Services and priorities of the incidents in it when it began. */
    services: fact.list,
    priorities: fact.list,
  }),
  template: ({ facts: f }) => ({
    headline: `Major event since ${f.startedAt}`,
    sections: [
      {
        heading: 'Summary',
        body:
          `More than ${f.threshold} incidents that need you were triggered within ${f.window}, so from ${f.startedAt} they are gathered here instead of one brief each` +
          `${f.services.length > 0 ? `, starting with ${listInWords(f.services)}` : ''}. ` +
          'The counts and the list below are kept current as incidents join, change and resolve; this thread gets only what changes the picture: ' +
          'a new P1, a priority change, an escalation, the last one resolved.',
      },
    ],
  }),
});
