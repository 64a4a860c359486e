import type { AttentionConfig } from './attention-config';
import { priorityRank } from './attention-config';
import type { IncidentState } from './incident-state';

/**
 * Whether an incident deserves the VP's attention (a brief, or a line in a storm roll-up): at
 * or above BRIEF_MIN_PRIORITY; without a priority PagerDuty's default scheme knows, when its
 * urgency is high. Below that it is recorded and counted in the digest only.
 */
export function deservesBrief(state: Pick<IncidentState, 'priority' | 'urgency'>, config: Pick<AttentionConfig, 'briefMinRank'>): boolean {
  const rank = priorityRank(state.priority);
  if (rank === undefined) return state.urgency?.toLowerCase() === 'high';
  return rank <= config.briefMinRank;
}
