import type { Rollup } from '../ports/attention-store';
import type { AttentionConfig } from './attention-config';
import { formatDuration, formatInstant } from './durations';

/**
 * The written part of a storm roll-up: why these incidents are not briefed one by one and how
 * to read the message. Its facts do not change as incidents join, so it is written once; every
 * count and list around it is built by code and kept current.
 *
 * Kept here as a template until the document-kind registry lands; then it becomes the
 * `incident.rollup` kind and the writer (the model, when configured) writes it from these facts.
 */
export interface RollupSummaryFacts {
  startedAt: string;
  threshold: number;
  window: string;
}

export interface RollupSummary {
  headline: string;
  sections: { heading: string; body: string }[];
}

export function rollupSummaryFacts(rollup: Rollup, config: Pick<AttentionConfig, 'stormThreshold' | 'stormWindowMs'>): RollupSummaryFacts {
  return { startedAt: formatInstant(rollup.startedAt), threshold: config.stormThreshold, window: formatDuration(config.stormWindowMs) };
}

export function rollupSummaryTemplate(facts: RollupSummaryFacts): RollupSummary {
  return {
    headline: `Major event since ${facts.startedAt}`,
    sections: [
      {
        heading: 'Summary',
        body:
          `More than ${facts.threshold} incidents that need you were triggered within ${facts.window}, so from ${facts.startedAt} they are gathered here ` +
          'instead of one brief each. The counts and the list below are kept current as incidents join, change and resolve; ' +
          'this thread gets only what changes the picture: a new P1, a priority change, an escalation, the last one resolved.',
      },
    ],
  };
}
