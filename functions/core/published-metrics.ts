import type { CanonicalEvent } from './canonical-event';
import { MetricNames } from './metric-names';
import { metrics } from './metrics';

/** Outcomes an approval event may carry (`facts.status`); anything else is counted as `other`. */
const DECISION_OUTCOMES = new Set(['approved', 'rejected', 'expired']);

/**
 * Metrics of events the bus accepted: every event by type, and approvals decided by outcome
 * (a decision and an expiry are each published exactly once, so this counts each once).
 */
export function recordPublished(events: readonly CanonicalEvent[]): void {
  for (const event of events) {
    metrics.record(MetricNames.eventsPublished, 1, 'Count', { type: event.type });
    if (event.type === 'approval.decided' || event.type === 'approval.expired') {
      const status = String(event.facts.status ?? '');
      metrics.record(MetricNames.approvalsDecided, 1, 'Count', { outcome: DECISION_OUTCOMES.has(status) ? status : 'other' });
    }
  }
}
