import type { CanonicalEvent } from '../../functions/core/canonical-event';
import type { WriteRequest } from '../../functions/ports/writer';
import { findSource } from '../../functions/sources/registry';
import { loadWeeklyConfig } from '../../functions/weekly/weekly-config';
import { weeklyLines } from '../../functions/weekly/weekly-lines';
import { computeWeeklyMetrics } from '../../functions/weekly/weekly-metrics';
import { gitHubDeploymentScenario } from '../../local/scenarios/github-deployments';
import { pagerDutyIncidentScenario } from '../../local/scenarios/pagerduty-incident';
import { weeklyWeekScenario } from '../../local/scenarios/weekly-week';

/**
 * The weekly update's write request on the demo's week, computed by the real code from the
 * demo's deliveries held as the records the workers keep (no DynamoDB): Friday 4 Dec 2026,
 * 15:00 in New York.
 */
export function weeklyDemoRequest(now = new Date('2026-12-04T20:00:00Z')): WriteRequest {
  const deliveries = [
    ...pagerDutyIncidentScenario({ incidentId: 'Q1DEMO4211', number: 4211, start: new Date(now.getTime() - 3_600_000) }),
    ...gitHubDeploymentScenario({ start: new Date(now.getTime() - 6 * 3_600_000), run: 'demo' }),
    ...weeklyWeekScenario(now),
  ];
  const items: Record<string, unknown>[] = [];
  const changes: Record<string, unknown>[] = [];
  for (const delivery of deliveries) {
    const normalized = findSource(delivery.source)?.normalize(
      JSON.parse(delivery.body),
      delivery.deliveryId,
      delivery.event ? { 'x-github-event': delivery.event } : {},
    );
    for (const event of normalized && !normalized.ignored ? normalized.events : []) {
      if (event.source === 'pagerduty') items.push({ kind: 'incident-event', pk: `INCIDENT#pagerduty#${event.subject.id}`, event });
      else if (event.source === 'jira')
        items.push({
          kind: 'issue-event',
          event: { ...event, facts: { ...event.facts, done: event.facts.statusCategory === 'Done' } } satisfies CanonicalEvent,
        });
      else changes.push({ kind: 'change-event', event });
    }
  }
  const config = loadWeeklyConfig({});
  const metrics = computeWeeklyMetrics({ items, changes, openIncidents: [], pendingApprovals: [] }, now, config);
  return { kind: 'weekly', facts: weeklyLines(metrics, config.digest.timeZone), untrusted: {}, links: [] };
}
