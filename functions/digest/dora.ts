import { nameKey } from '../core/text';
import { median, percentileNearestRank } from './stats';

/*
 * DORA's software delivery metrics (dora.dev; five since 2024), computed in code from GitHub
 * deployments and merged pull requests plus PagerDuty incidents. Pure and order-independent.
 * Definitions (also in the README):
 * - a deployment is a `deployment_status` of state success in a production environment
 *   (`production_environment: true`, or an environment named in DORA_PRODUCTION_ENVIRONMENTS);
 *   one per GitHub deployment, at its first success; staging never counts;
 * - change lead time: per merged pull request, from its first commit (when known, else its
 *   opening) to the first production deployment of its repository at or after the merge;
 *   attributed to the period that deployment falls in;
 * - change failure rate: production deployments in the period followed, before that
 *   repository's next production deployment and within the attribution window, by a P1 or P2
 *   incident (at any time in its life) on a PagerDuty service linked to the repository, over
 *   production deployments in the period. Failed deployment attempts (state failure/error)
 *   never reached production: counted and shown, not part of the rate;
 * - failed deployment recovery time: from a failed deployment to the resolution of the last
 *   incident linked to it.
 */

export interface DoraDeployment {
  /** `<owner>/<repo>#<deployment id>`: one GitHub deployment, whatever the number of statuses. */
  id: string;
  repository: string;
  environment: string;
  /** GitHub's optional `production_environment`; null when the payload did not say. */
  productionEnvironment: boolean | null;
  state: 'success' | 'failure';
  at: string;
  /** The deployed ref and the deployment's description, when sent: what marks a rollback or hotfix (rework, functions/weekly/rework.ts). */
  ref?: string | null;
  description?: string | null;
}

export interface DoraChange {
  id: string;
  repository: string;
  /** First commit when known, else null (the webhook does not carry it). */
  firstCommitAt: string | null;
  openedAt: string;
  mergedAt: string;
  /** Title and head branch, and whether its description marks a revert or hotfix (rework). */
  title?: string;
  branch?: string | null;
  marked?: boolean;
}

export interface DoraIncident {
  key: string;
  service: string | null;
  triggeredAt: string;
  resolvedAt?: string;
  /** Every priority it has had (any order); the current one is enough when no history is known. */
  priorities: string[];
}

export interface DoraInput {
  period: { from: Date; to: Date };
  previousPeriod: { from: Date; to: Date };
  deployments: DoraDeployment[];
  changes: DoraChange[];
  incidents: DoraIncident[];
  /** Environment names that are production (compared as names, e.g. `production`, `prod`). */
  productionEnvironments: string[];
  /** PagerDuty service name → repositories (`owner/repo`); a service not named links to the repository of its own name. */
  serviceRepositories: Record<string, string[]>;
  attributionWindowHours: number;
}

export type DoraTier = 'elite' | 'high' | 'medium' | 'low';

export interface DoraWeek {
  /** Start of the 7-day bucket (buckets end at the period's end). */
  from: Date;
  deployments: number;
  leadTimeMedianMs: number | null;
}

export interface DoraMetrics {
  /** Successful production deployments in the period. */
  deployments: number;
  previousDeployments: number;
  /** (deployments − previous) / previous; null when the previous period had none. */
  frequencyChangeRatio: number | null;
  /** Deployments in the period per day of real time. */
  perDay: number;
  /** Successful production deployments in the 7 days ending at the period's end. */
  lastSevenDays: number;
  /** Successful production deployments in the 28 days ending at the period's end. */
  lastTwentyEightDays: number;
  /** Placed on the last 28 days' rate (a one-day period is too short to say "once a week"). */
  frequencyTier: DoraTier;
  /** Production deployment attempts in the period that failed (state failure or error): never deployed, not in the rate. */
  failedAttempts: number;
  /** Merged pull requests whose first production deployment is in the period. */
  leadTimeSamples: number;
  /** How many of them start at the opening because their first commit is unknown. */
  leadTimeFromOpened: number;
  leadTimeMedianMs: number | null;
  leadTimeP85Ms: number | null;
  leadTimeTier: DoraTier | null;
  /** Merged pull requests with no production deployment yet. */
  undeployedChanges: number;
  /** Deployments in the period followed by a linked P1/P2 incident. */
  failedDeployments: number;
  changeFailureRate: number | null;
  changeFailureTier: DoraTier | null;
  /** Failed deployments whose linked incidents are all resolved (the recovery sample). */
  recoverySamples: number;
  recoveryMedianMs: number | null;
  recoveryTier: DoraTier | null;
  /** Failed deployments with a linked incident still open. */
  unrecovered: number;
  /** Oldest first; 8 weeks ending at the period's end. */
  weeks: DoraWeek[];
  /** Whether any production deployment was recorded anywhere in what was read. */
  anyDeploymentRecorded: boolean;
}

export const DORA_WEEKS = 8;
export const LEAD_TIME_PERCENTILE = 85;
/** Priorities whose incidents count as a change failure. */
export const FAILURE_PRIORITIES = ['P1', 'P2'] as const;
export const DEFAULT_PRODUCTION_ENVIRONMENTS = ['production', 'prod'] as const;

/** How far before the earliest week measured merges are read, so they map to the deployment that shipped them. */
export const DORA_LOOKBACK_DAYS = 90;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const WEEK_MS = 7 * DAY_MS;

/**
 * Start of the change records the digest reads: the earlier of the 8 weeks of trend and the
 * previous period, less 90 days of merges. A pull request merged earlier than that and
 * deployed inside the window is not counted (its lead time would exceed 90 days anyway).
 */
export function doraReadFrom(period: { to: Date }, previousPeriod: { from: Date }): Date {
  const earliest = Math.min(period.to.getTime() - DORA_WEEKS * WEEK_MS, previousPeriod.from.getTime());
  return new Date(earliest - DORA_LOOKBACK_DAYS * DAY_MS);
}

/**
 * DORA 2024 performance levels (Accelerate State of DevOps Report 2024), as bounds per metric.
 * The report gives one cluster value per level; where its levels overlap or are not ordered the
 * placement rule is ours (see the README's tier table).
 */
export function frequencyTier(perDay: number): DoraTier {
  if (perDay >= 1) return 'elite';
  if (perDay >= 1 / 7) return 'high';
  if (perDay >= 1 / 30) return 'medium';
  return 'low';
}

export function leadTimeTier(ms: number): DoraTier {
  if (ms < DAY_MS) return 'elite';
  if (ms < 7 * DAY_MS) return 'high';
  if (ms < 30 * DAY_MS) return 'medium';
  return 'low';
}

/** 2024 cluster values: elite 5%, medium 10%, high 20%, low 40% (medium's is lower than high's); a rate takes the best level whose value it does not exceed. */
export function changeFailureTier(rate: number): DoraTier {
  if (rate <= 0.05) return 'elite';
  if (rate <= 0.1) return 'medium';
  if (rate <= 0.2) return 'high';
  return 'low';
}

export function recoveryTier(ms: number): DoraTier {
  if (ms < HOUR_MS) return 'elite';
  if (ms < DAY_MS) return 'high';
  if (ms < 7 * DAY_MS) return 'medium';
  return 'low';
}

/** Production: GitHub says so, or the environment is named in the configured list; anything else (staging, preview) is not. */
export function isProduction(deployment: Pick<DoraDeployment, 'environment' | 'productionEnvironment'>, productionEnvironments: readonly string[]): boolean {
  if (deployment.productionEnvironment === true) return true;
  const name = nameKey(deployment.environment);
  return productionEnvironments.some((env) => nameKey(env) === name);
}

/** Whether an incident on `service` can be a failure of a change to `repository`. */
export function isLinked(service: string | null, repository: string, serviceRepositories: Record<string, string[]>): boolean {
  if (!service) return false;
  const key = nameKey(service);
  const configured = Object.entries(serviceRepositories).find(([name]) => nameKey(name) === key);
  if (configured) return configured[1].some((repo) => sameRepository(repo, repository));
  // By default a service is linked to the repository of the same name (its name part, any owner).
  return nameKey(repository.split('/').at(-1) ?? repository) === key;
}

function sameRepository(a: string, b: string): boolean {
  // GitHub repository names are case-insensitive.
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

interface Deployed {
  id: string;
  repository: string;
  at: number;
}

export function computeDora(input: DoraInput): DoraMetrics {
  const production = input.deployments.filter((d) => isProduction(d, input.productionEnvironments));
  const successes = firstSuccessPerDeployment(production);
  const byRepository = new Map<string, Deployed[]>();
  for (const d of successes) byRepository.set(d.repository, [...(byRepository.get(d.repository) ?? []), d]);
  const repositoryKey = (repository: string) => repository.trim().toLowerCase();

  const { period, previousPeriod } = input;
  const inRange = (at: number, range: { from: Date; to: Date }) => at >= range.from.getTime() && at < range.to.getTime();
  const inPeriod = successes.filter((d) => inRange(d.at, period));
  const previous = successes.filter((d) => inRange(d.at, previousPeriod)).length;
  const periodDays = Math.max(1, period.to.getTime() - period.from.getTime()) / DAY_MS;
  const end = period.to.getTime();
  const lastSevenDays = successes.filter((d) => d.at >= end - WEEK_MS && d.at < end).length;
  const lastTwentyEightDays = successes.filter((d) => d.at >= end - 4 * WEEK_MS && d.at < end).length;
  const deployed = new Set(successes.map((d) => d.id));
  const failedAttempts = new Set(production.filter((d) => d.state === 'failure' && !deployed.has(d.id) && inRange(time(d.at), period)).map((d) => d.id)).size;

  // Lead time: each merged change to the first production deployment of its repository at or after the merge.
  const leadTimes: { deployedAt: number; ms: number; fromOpened: boolean }[] = [];
  let undeployedChanges = 0;
  for (const change of dedupe(input.changes)) {
    const merged = time(change.mergedAt);
    const start = time(change.firstCommitAt ?? change.openedAt);
    if (!Number.isFinite(merged) || !Number.isFinite(start)) continue;
    const deployment = (byRepository.get(repositoryKey(change.repository)) ?? []).find((d) => d.at >= merged);
    if (!deployment) {
      undeployedChanges += 1;
      continue;
    }
    if (deployment.at >= start) leadTimes.push({ deployedAt: deployment.at, ms: deployment.at - start, fromOpened: change.firstCommitAt === null });
  }
  const periodLeadTimes = leadTimes.filter((l) => inRange(l.deployedAt, period));
  const leadValues = periodLeadTimes.map((l) => l.ms);
  const leadMedian = median(leadValues);

  // Change failure: a linked P1/P2 incident before the repository's next production deployment, within the window.
  const windowMs = input.attributionWindowHours * HOUR_MS;
  const severe = input.incidents.filter((i) => i.priorities.some((p) => FAILURE_PRIORITIES.some((f) => f === p.trim().toUpperCase())));
  const recoveries: number[] = [];
  let failedDeployments = 0;
  let unrecovered = 0;
  for (const d of inPeriod) {
    const next = (byRepository.get(d.repository) ?? []).find((other) => other.at > d.at);
    const until = Math.min(next?.at ?? Number.POSITIVE_INFINITY, d.at + windowMs);
    const caused = severe.filter((i) => {
      const started = time(i.triggeredAt);
      return started >= d.at && started < until && isLinked(i.service, d.repository, input.serviceRepositories);
    });
    if (caused.length === 0) continue;
    failedDeployments += 1;
    const resolved = caused.map((i) => (i.resolvedAt ? time(i.resolvedAt) : Number.NaN));
    if (resolved.some((r) => !Number.isFinite(r))) unrecovered += 1;
    else recoveries.push(Math.max(...resolved) - d.at);
  }
  const rate = inPeriod.length > 0 ? failedDeployments / inPeriod.length : null;
  const recoveryMedian = median(recoveries);

  const weeks: DoraWeek[] = [];
  for (let i = DORA_WEEKS; i >= 1; i -= 1) {
    const from = end - i * WEEK_MS;
    const to = from + WEEK_MS;
    const within = (at: number) => at >= from && at < to;
    weeks.push({
      from: new Date(from),
      deployments: successes.filter((d) => within(d.at)).length,
      leadTimeMedianMs: median(leadTimes.filter((l) => within(l.deployedAt)).map((l) => l.ms)),
    });
  }

  return {
    deployments: inPeriod.length,
    previousDeployments: previous,
    frequencyChangeRatio: previous > 0 ? (inPeriod.length - previous) / previous : null,
    perDay: inPeriod.length / periodDays,
    lastSevenDays,
    lastTwentyEightDays,
    frequencyTier: frequencyTier(lastTwentyEightDays / 28),
    failedAttempts,
    leadTimeSamples: periodLeadTimes.length,
    leadTimeFromOpened: periodLeadTimes.filter((l) => l.fromOpened).length,
    leadTimeMedianMs: leadMedian,
    leadTimeP85Ms: percentileNearestRank(leadValues, LEAD_TIME_PERCENTILE),
    leadTimeTier: leadMedian === null ? null : leadTimeTier(leadMedian),
    undeployedChanges,
    failedDeployments,
    changeFailureRate: rate,
    changeFailureTier: rate === null ? null : changeFailureTier(rate),
    recoverySamples: recoveries.length,
    recoveryMedianMs: recoveryMedian,
    recoveryTier: recoveryMedian === null ? null : recoveryTier(recoveryMedian),
    unrecovered,
    weeks,
    anyDeploymentRecorded: successes.length > 0,
  };
}

/** One entry per GitHub deployment, at its first success, sorted by time then id; repositories lower-cased. */
function firstSuccessPerDeployment(deployments: readonly DoraDeployment[]): Deployed[] {
  const first = new Map<string, Deployed>();
  for (const d of deployments) {
    const at = time(d.at);
    if (d.state !== 'success' || !Number.isFinite(at)) continue;
    const known = first.get(d.id);
    if (!known || at < known.at) first.set(d.id, { id: d.id, repository: d.repository.trim().toLowerCase(), at });
  }
  return [...first.values()].sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function dedupe(changes: readonly DoraChange[]): DoraChange[] {
  return [...new Map([...changes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((c) => [c.id, c])).values()];
}

function time(iso: string): number {
  return Date.parse(iso);
}
