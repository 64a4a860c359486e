import { z } from 'zod';
import type { DocumentSection } from '../ports/writer';

/*
 * The `weekly` document kind: its spec, its facts and its template. (Kept here until the
 * document-kind registry lands; then it moves to functions/documents/weekly.ts as one module.)
 */

/** Section headings in order, and the fact each is written from. */
export const WEEKLY_SECTIONS = [
  ['Reliability', 'reliability'],
  ['Delivery', 'delivery'],
  ['Where the effort went', 'effort'],
  ['People and load', 'load'],
  ['Decisions and asks', 'decisions'],
  ['Wins', 'wins'],
] as const;

export const weeklySpec = {
  purpose:
    'the weekly engineering update for the E-staff and the CFO, read by non-engineers: open with the headline sentence, then narrate each section in business language (what customers saw, what it cost in time, where effort went, what is asked of the E-staff), using only the figures given, each against the previous week as given; never compute a new figure; a section that says data is missing says so',
  requiredSections: WEEKLY_SECTIONS.map(([heading]) => heading),
  maxChars: 5000,
} as const;

const lines = z.array(z.string());

/** What the weekly writer is given: code-written lines per section (functions/weekly/weekly-lines.ts). */
export const weeklyFactsSchema = z.object({
  period: z.string(),
  headline: z.string(),
  reliability: lines,
  delivery: lines,
  effort: lines,
  load: lines,
  decisions: lines,
  wins: lines,
});

export type WeeklyFacts = z.infer<typeof weeklyFactsSchema>;

/** The template: the headline sentence, then each section's lines as they are. */
export function weeklyTemplate(facts: WeeklyFacts): { headline: string; sections: DocumentSection[] } {
  return {
    headline: facts.headline,
    sections: WEEKLY_SECTIONS.map(([heading, key]) => ({ heading, body: facts[key].join('\n') })),
  };
}
