import * as z from 'zod/mini';
import { type DocumentSection, defineDocumentKind, fact } from './kind';

/** The digest's sections and the facts (lines written by code in `functions/digest/metric-lines.ts`) behind each. */
const SECTIONS = [
  ['Incidents', 'incidents', 'No incidents were raised in the period.'],
  ['Availability', 'availability', 'No availability figures: no incident data for the period.'],
  ['Delivery', 'delivery', 'No delivery figures: connect GitHub deployments or set DIGEST_DEPLOYED_STATUSES.'],
  ['Approvals', 'approvals', 'No approvals are waiting and none were decided.'],
  ['Hiring', 'hiring', 'No candidates moved in the period.'],
  ['Wins', 'wins', 'No wins recorded in the period.'],
] as const;

/** The morning digest: figures computed by code, narrated section by section. */
export const digest = defineDocumentKind({
  kind: 'digest',
  spec: {
    purpose:
      'the morning digest: narrate the metrics given, section by section, in the order given; a quiet period is said to be quiet; never compute a new figure',
    requiredSections: SECTIONS.map(([heading]) => heading),
    // DORA adds up to six lines (about 900 characters) to Delivery.
    maxChars: 4500,
    urgency: 'routine',
    model: 'standard',
    guidance: 'Every figure is already computed: repeat it exactly as given; never add, average or compare figures yourself. Thank the people the wins name.',
  },
  facts: z.object({
    period: fact.text,
    quiet: fact.flag,
    incidents: fact.list,
    availability: fact.list,
    delivery: fact.list,
    approvals: fact.list,
    hiring: fact.list,
    wins: fact.list,
    /** Said when the daily model budget ran out and the template wrote instead. */
    budgetNote: fact.optionalText,
  }),
  template: ({ facts: f }) => {
    const sections: DocumentSection[] = SECTIONS.map(([heading, key, empty]) => ({ heading, body: f[key].length > 0 ? f[key].join('\n') : empty }));
    if (f.budgetNote) sections.push({ heading: 'Note', body: f.budgetNote });
    const headline = f.quiet ? `A quiet ${f.period}: nothing needs your attention this morning.` : `Morning digest for ${f.period}.`;
    return { headline, sections };
  },
});
