import { type DoraChange, type DoraDeployment, isLinked, isProduction } from '../digest/dora';
import type { IncidentSummary } from '../digest/metrics';
import { marksRework } from '../core/rework-marker';

/*
 * Deployment rework rate, DORA's fifth metric (2024): the share of production deployments
 * that were unplanned and made because of an incident in production. DORA publishes no
 * performance levels for it, so none is shown. Our rule (also in the README): a production
 * deployment (a GitHub deployment's first success in a production environment, as for the
 * other DORA figures) is rework when
 * - at the moment it finished, an incident on a PagerDuty service linked to its repository was
 *   open (triggered, not yet resolved) at P1 or P2; or
 * - it is marked as a revert, rollback or hotfix: in its ref or description, or in the title,
 *   branch or description of a pull request it shipped (one merged into its repository after
 *   the previous production deployment and at or before this one).
 * A repository linked to no service can be rework only by the marking.
 */

/** What rework is computed from: DORA's deployments and merged pull requests, and the incidents with their priority history. */
export interface ReworkInput {
  deployments: DoraDeployment[];
  changes: Pick<DoraChange, 'repository' | 'mergedAt' | 'title' | 'branch' | 'marked'>[];
  incidents: Pick<IncidentSummary, 'key' | 'service' | 'triggeredAt' | 'resolvedAt' | 'priority' | 'priorityHistory'>[];
  productionEnvironments: string[];
  serviceRepositories: Record<string, string[]>;
}

export interface ReworkMetrics {
  deployments: number;
  rework: number;
  /** rework / deployments; null with no deployment. */
  rate: number | null;
  /** Why each rework deployment counts, for the record. */
  reasons: { deployment: string; reason: 'open-incident' | 'marked' }[];
}

const FAILURE_PRIORITIES = new Set(['P1', 'P2']);

/** Rework among the production deployments that finished in [from, to). */
export function reworkRate(input: ReworkInput, window: { from: Date; to: Date }): ReworkMetrics {
  // First success of each production deployment, as DORA counts them.
  const first = new Map<string, DoraDeployment & { ms: number }>();
  for (const d of input.deployments) {
    const ms = Date.parse(d.at);
    if (d.state !== 'success' || !Number.isFinite(ms) || !isProduction(d, input.productionEnvironments)) continue;
    const known = first.get(d.id);
    if (!known || ms < known.ms) first.set(d.id, { ...d, ms });
  }
  const all = [...first.values()].sort((a, b) => a.ms - b.ms || (a.id < b.id ? -1 : 1));
  const repo = (name: string) => name.trim().toLowerCase();
  const reasons: ReworkMetrics['reasons'] = [];
  let count = 0;
  for (const d of all) {
    if (d.ms < window.from.getTime() || d.ms >= window.to.getTime()) continue;
    count += 1;
    const previous = all.filter((other) => repo(other.repository) === repo(d.repository) && other.ms < d.ms).at(-1);
    const shipped = input.changes.filter((change) => {
      const merged = Date.parse(change.mergedAt);
      return repo(change.repository) === repo(d.repository) && merged <= d.ms && (!previous || merged > previous.ms);
    });
    const marked =
      [d.ref, d.description].some(marksRework) || shipped.some((change) => change.marked === true || [change.title, change.branch].some(marksRework));
    const duringIncident = input.incidents.some(
      (incident) => isLinked(incident.service, d.repository, input.serviceRepositories) && severeOpenAt(incident, d.ms),
    );
    if (duringIncident || marked) reasons.push({ deployment: d.id, reason: duringIncident ? 'open-incident' : 'marked' });
  }
  return { deployments: count, rework: reasons.length, rate: count > 0 ? reasons.length / count : null, reasons };
}

/** Open at `at` and at P1 or P2 then (by its priority history; its current priority when it has none). */
function severeOpenAt(incident: ReworkInput['incidents'][number], at: number): boolean {
  const triggered = Date.parse(incident.triggeredAt);
  const resolved = incident.resolvedAt ? Date.parse(incident.resolvedAt) : Number.POSITIVE_INFINITY;
  if (!(triggered <= at && at < resolved)) return false;
  const history = [...(incident.priorityHistory ?? [])].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  // The first priority holds from the trigger; later ones from their change.
  const current =
    history.length > 0 ? (history.filter((change, index) => index === 0 || Date.parse(change.at) <= at).at(-1)?.priority ?? null) : incident.priority;
  return current !== null && FAILURE_PRIORITIES.has(current.trim().toUpperCase());
}
