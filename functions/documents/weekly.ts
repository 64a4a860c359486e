import * as z from 'zod/mini';
import { defineDocumentKind, fact } from './kind';

/** The weekly update's sections and the facts (lines written by code in `functions/weekly/weekly-lines.ts`) behind each. */
export const WEEKLY_SECTIONS = [
  ['Reliability', 'reliability'],
  ['Delivery', 'delivery'],
  ['Where the effort went', 'effort'],
  ['People and load', 'load'],
  ['Decisions and asks', 'decisions'],
  ['Wins', 'wins'],
] as const;

/**
 * The weekly engineering update for the E-staff and the CFO: every figure computed by code
 * against the previous week, narrated in business language. Each section's lines already say
 * what is missing when there is no data, so the template never has an empty section.
 */
export const weekly = defineDocumentKind({
  kind: 'weekly',
  spec: {
    purpose:
      'the weekly engineering update for the E-staff and the CFO, read by non-engineers: open with the headline sentence, then narrate each section in business language (what customers saw and for how long, where the effort went, the load on people, what is asked of the E-staff), using only the figures given, each against the previous week as given; never compute a new figure; a section that says data is missing says so and how to get it',
    requiredSections: WEEKLY_SECTIONS.map(([heading]) => heading),
    maxChars: 5000,
    urgency: 'routine',
    model: 'standard',
  },
  facts: z.object({
    period: fact.text,
    /** One sentence on the state of engineering this week, written by code. */
    headline: fact.text,
    reliability: fact.list,
    delivery: fact.list,
    effort: fact.list,
    load: fact.list,
    decisions: fact.list,
    wins: fact.list,
  }),
  template: ({ facts: f }) => ({
    headline: f.headline,
    sections: WEEKLY_SECTIONS.map(([heading, key]) => ({ heading, body: f[key].join('\n') })),
  }),
});
