import { elapsedMs } from '../core/durations';
import { priorityRank } from '../incidents/attention-config';
import { computeDora, type DoraInput, type DoraMetrics } from './dora';
import { zonedMonth } from './zoned-time';
import { mean, median, percentileNearestRank } from './stats';
import { subjectWithoutCandidate } from '../approvals/hiring-approval';

export { mean, median, percentileNearestRank };

/*
 * The digest's numbers, computed in code so they are deterministic and unit-tested; the
 * writer only narrates the lines built from them (metric-lines.ts).
 *
 * Conventions used by every definition below:
 * - "in the period" means period.from ≤ t < period.to (half-open, so consecutive digests never
 *   count the same instant twice);
 * - durations are real elapsed milliseconds between ISO instants (DST changes included); a
 *   timestamp that does not parse, or a duration that would be negative, is left out;
 * - a median of an even number of values is the mean of the two middle values;
 * - every result is independent of the order of the input arrays (ties are broken on content).
 */

export interface IncidentSummary {
  id: string;
  key: string;
  title: string;
  priority: string | null;
  service: string | null;
  customerFacing: boolean;
  triggeredAt: string;
  acknowledgedAt?: string;
  resolvedAt?: string;
  responders: string[];
  /** Link to the incident at its source, for the digest's provenance. */ url?: string;
  /** Each priority it has had and since when (from its timeline); absent for an open incident known only from the open-now index, which then counts by its current priority. */ priorityHistory?: {
    priority: string;
    at: string;
  }[];
}
export interface IssueDone {
  key: string;
  title: string;
  project: string;
  issueType: string | null;
  doneAt: string;
  firstInProgressAt?: string;
  assignee: string | null;
}
export interface DeploymentRecord {
  key: string;
  deployedAt: string;
  /** incident keys this change caused, by the configured link */ causedIncidents: string[];
}
export interface ApprovalSnapshot {
  pending: { id: string; kind: string; subject: string; createdAt: string }[];
  decidedInPeriod: {
    id: string;
    kind: string;
    subject: string;
    status: 'approved' | 'rejected' | 'expired' | 'cancelled';
    decidedAt: string;
    decidedBy: string | null;
  }[];
}
export interface StageMove {
  applicationId: string;
  job: string | null;
  type: string /* candidate.stage_changed | candidate.offer_created | candidate.hired | candidate.rejected | candidate.application_created */;
  toStage: string | null;
  fromStage: string | null;
  at: string;
  /** time the candidate spent in fromStage, computed on write */ timeInPreviousStageMs?: number;
  offerStatus?: string | null;
}
export interface DigestInput {
  period: { from: Date; to: Date };
  previousPeriod: { from: Date; to: Date };
  now: Date;
  timeZone: string;
  /** Every incident triggered in the period, resolved in the period, still open, or overlapping the current calendar month (in timeZone) */
  incidents: IncidentSummary[];
  issuesDone: IssueDone[]; // done in the period
  previousIssuesDone: IssueDone[]; // done in the previous period (trend)
  /** undefined when the configuration names no "deployed" status/type: then deployment frequency and change failure rate are "not enough data" */
  deployments?: { inPeriod: DeploymentRecord[]; attributionWindowHours: number };
  approvals: ApprovalSnapshot;
  hiring: StageMove[]; // moves in the period
  /** GitHub deployments and merged pull requests for DORA; undefined when none were read (older callers). */
  dora?: DoraInput;
  /** BRIEF_MIN_PRIORITY as a rank (2 for P2): incidents below it got no brief and are summed up as lower-priority. Default 2. */
  briefMinRank?: number;
  slo: {
    target: number /* e.g. 0.9999 */;
    /** True when no customer-facing service is configured and every service's P1 time counts. */ allServices?: boolean;
  };
}

export type ApprovalStatus = ApprovalSnapshot['decidedInPeriod'][number]['status'];

/** Label for an incident without a priority. */
export const UNPRIORITISED = 'unprioritised';
/** The priority whose incidents on customer-facing services count as downtime. */
export const OUTAGE_PRIORITY = 'P1';
/** The cycle-time percentile reported next to the median. */
export const CYCLE_TIME_PERCENTILE = 85;
/** Fewest samples a stage needs before it can be named the hiring bottleneck. */
export const BOTTLENECK_MIN_SAMPLES = 2;
/** offerStatus values (case and punctuation ignored) that mean the candidate accepted. */
export const OFFER_ACCEPTED_STATUSES = ['accepted', 'candidateaccepted', 'signed'] as const;
/** offerStatus values (case and punctuation ignored) that mean the candidate declined. */
export const OFFER_DECLINED_STATUSES = ['declined', 'rejected', 'candidatedeclined', 'candidaterejected'] as const;

const APPROVAL_STATUSES: readonly ApprovalStatus[] = ['approved', 'rejected', 'expired', 'cancelled'];
const DAY_MS = 86_400_000;

export interface IncidentMetrics {
  /** Incidents triggered in the period. */
  triggered: number;
  /** Incidents triggered in the period, by priority (a missing priority counts as `unprioritised`). */
  countByPriority: Record<string, number>;
  /** Incidents triggered at or before now and not resolved at or before now. */
  openNow: number;
  /** The open incidents, oldest first, with how long each has been open at now. */
  open: { key: string; title: string; priority: string | null; service: string | null; openForMs: number }[];
  /** Incidents acknowledged in the period (the MTTA sample). */
  acknowledgedCount: number;
  /** Mean of acknowledgedAt − triggeredAt over incidents acknowledged in the period; null when none. */
  meanTimeToAcknowledgeMs: number | null;
  /** Incidents resolved in the period (the MTTR sample). */
  resolvedCount: number;
  /** Mean of resolvedAt − triggeredAt over incidents resolved in the period; null when none. */
  meanTimeToResolveMs: number | null;
  /** Median of resolvedAt − triggeredAt over incidents resolved in the period; null when none. */
  medianTimeToResolveMs: number | null;
  /** Incidents below BRIEF_MIN_PRIORITY (no brief in Slack): triggered in the period, open now, and the one open longest. */
  lowerPriority: { below: string; triggered: number; openNow: number; longestOpen: IncidentMetrics['open'][number] | null };
}

export interface AvailabilityMetrics {
  /** Start of the calendar month of now, in the configured time zone (local midnight on the 1st). */
  monthStart: Date;
  /** Start of the next calendar month in the configured time zone (exclusive end of the month). */
  monthEnd: Date;
  /** Real time elapsed in the month: now − monthStart. */
  elapsedMs: number;
  /** Real length of the whole month: monthEnd − monthStart (a DST change adds or removes an hour). */
  monthMs: number;
  /** Union of the intervals incidents on customer-facing services spent at P1 (from their priority history; open ones up to now), clipped to [monthStart, now]; overlaps count once. */
  downtimeMs: number;
  /** True when no customer-facing service is configured, so every service's P1 time counts. */
  allServices: boolean;
  /** 1 − downtimeMs / elapsedMs; null at the very start of the month (nothing elapsed). */
  availability: number | null;
  /** The SLO target, e.g. 0.9999. */
  target: number;
  /** (1 − target) × monthMs, rounded to the millisecond: the downtime the whole month may have. */
  errorBudgetMs: number;
  /** Downtime so far this month, charged against the error budget (equals downtimeMs). */
  budgetUsedMs: number;
  /** errorBudgetMs − budgetUsedMs; negative when the budget is overspent. */
  budgetLeftMs: number;
  /** budgetUsedMs / errorBudgetMs; null when the budget is zero (a 100% target). */
  budgetUsedRatio: number | null;
}

export interface DeliveryMetrics {
  /** Issues done in the period. */
  done: number;
  /** Issues done in the period that have a firstInProgressAt (the cycle-time sample). */
  cycleTimeSamples: number;
  /** Median of doneAt − firstInProgressAt over the cycle-time sample; null when empty. */
  cycleTimeMedianMs: number | null;
  /** 85th percentile of the cycle-time sample by nearest rank (the value at position ⌈0.85 × n⌉ of the ascending list); null when empty. */
  cycleTimeP85Ms: number | null;
  /** Issues done in the previous period. */
  previousDone: number;
  /** (done − previousDone) / previousDone; null when previousDone is 0. */
  throughputChangeRatio: number | null;
  /** False when no "deployed" status/type is configured: deployment metrics are then not enough data. */
  deploymentsConfigured: boolean;
  /** Deployments in the period; null when not configured. */
  deployments: number | null;
  /** Deployments in the period / period length in days (real time); null when not configured. */
  deploymentFrequencyPerDay: number | null;
  /** Deployments in the period with at least one caused incident; null when not configured. */
  failedDeployments: number | null;
  /** failedDeployments / deployments; null when not configured or no deployments. */
  changeFailureRate: number | null;
  /** How long after a deployment an incident may be attributed to it (from the configuration); null when not configured. */
  attributionWindowHours: number | null;
}

export interface ApprovalMetrics {
  /** Approvals waiting for a decision now. */
  pendingCount: number;
  /** The pending approval created earliest (ties: lowest id), and now − createdAt; null when none. */
  oldestPending: { id: string; kind: string; subject: string; waitingMs: number } | null;
  /** Approvals decided in the period. */
  decidedCount: number;
  /** Approvals decided in the period, by outcome (every outcome present, 0 when none). */
  decidedByStatus: Record<ApprovalStatus, number>;
}

export interface HiringMetrics {
  /** Applicant-tracking events (moves) in the period. */
  moves: number;
  /** candidate.stage_changed moves in the period, by the stage moved to (`unknown` when not sent). */
  movesByStage: Record<string, number>;
  /** Distinct applications with a candidate.application_created move in the period. */
  newApplications: number;
  /** Distinct applications with a candidate.rejected move in the period. */
  rejections: number;
  /** Distinct applications with a candidate.offer_created move in the period (an offer created and then approved counts once). */
  offersMade: number;
  /** Distinct applications with a move in the period whose offerStatus is accepted, CandidateAccepted or signed. */
  offersAccepted: number;
  /** Distinct applications with a move in the period whose offerStatus is declined, rejected, CandidateDeclined or CandidateRejected. */
  offersDeclined: number;
  /** Distinct applications with a candidate.hired move in the period. */
  hires: number;
  /** The fromStage with the longest mean time in stage among stages with at least 2 samples (ties: first by name); null when none qualifies. */
  bottleneck: { stage: string; meanTimeInStageMs: number; samples: number } | null;
  /** Mean timeInPreviousStageMs per fromStage, over moves in the period that carry both. */
  timeInStageMs: Record<string, number>;
}

export interface WinsMetrics {
  /** Incidents resolved in the period, in the order they were resolved, with their responders. */
  resolvedIncidents: { key: string; title: string; responders: string[] }[];
  /** Issues done in the period, in the order they were done, with their assignee. */
  shipped: { key: string; title: string; assignee: string | null }[];
  /** Hires in the period (one per application), in the order they happened, with the job. */
  hires: { job: string | null }[];
}

export interface DigestMetrics {
  incidents: IncidentMetrics;
  availability: AvailabilityMetrics;
  delivery: DeliveryMetrics;
  approvals: ApprovalMetrics;
  hiring: HiringMetrics;
  wins: WinsMetrics;
  /** DORA from GitHub (functions/digest/dora.ts); null when the input carried no DORA data. */
  dora: DoraMetrics | null;
  /** Nothing happened and nothing waits: no incident triggered or resolved in the period and none open, nothing done, no approval decided or pending, no hiring move. */
  quiet: boolean;
}

/** Computes every digest metric from the input; pure and deterministic. */
export function computeDigestMetrics(input: DigestInput): DigestMetrics {
  const incidents = incidentMetrics(input);
  const availability = availabilityMetrics(input);
  const delivery = deliveryMetrics(input);
  const approvals = approvalMetrics(input);
  const hiring = hiringMetrics(input);
  const wins = winsMetrics(input);
  const dora = input.dora ? computeDora(input.dora) : null;
  const quiet =
    (dora?.deployments ?? 0) === 0 &&
    incidents.triggered === 0 &&
    incidents.resolvedCount === 0 &&
    incidents.openNow === 0 &&
    delivery.done === 0 &&
    approvals.decidedCount === 0 &&
    approvals.pendingCount === 0 &&
    hiring.moves === 0;
  return { incidents, availability, delivery, approvals, hiring, wins, dora, quiet };
}

/* ---- Incidents ---- */

function incidentMetrics(input: DigestInput): IncidentMetrics {
  const { period } = input;
  const now = input.now.getTime();
  const triggered = input.incidents.filter((i) => inPeriod(i.triggeredAt, period));
  const countByPriority = countBy(triggered.map((i) => i.priority?.trim() || UNPRIORITISED));

  const open = input.incidents
    .filter((i) => {
      const start = time(i.triggeredAt);
      const end = time(i.resolvedAt);
      return start !== undefined && start <= now && !(end !== undefined && end <= now);
    })
    .map((i) => ({
      key: i.key,
      title: i.title,
      priority: i.priority,
      service: i.service,
      openForMs: now - (time(i.triggeredAt) ?? now),
    }))
    .sort(compareBy((o) => [-o.openForMs, o.key]));

  const acknowledged = input.incidents
    .filter((i) => inPeriod(i.acknowledgedAt, period))
    .map((i) => elapsedMs(i.triggeredAt, i.acknowledgedAt))
    .filter(isNumber);
  const resolved = input.incidents
    .filter((i) => inPeriod(i.resolvedAt, period))
    .map((i) => elapsedMs(i.triggeredAt, i.resolvedAt))
    .filter(isNumber);

  const minRank = input.briefMinRank ?? 2;
  const lower = (priority: string | null) => (priorityRank(priority) ?? 0) > minRank;
  const lowerOpen = open.filter((o) => lower(o.priority));
  return {
    triggered: triggered.length,
    countByPriority,
    lowerPriority: {
      below: `P${minRank}`,
      triggered: triggered.filter((i) => lower(i.priority)).length,
      openNow: lowerOpen.length,
      longestOpen: lowerOpen[0] ?? null,
    },
    openNow: open.length,
    open,
    acknowledgedCount: acknowledged.length,
    meanTimeToAcknowledgeMs: mean(acknowledged),
    resolvedCount: resolved.length,
    meanTimeToResolveMs: mean(resolved),
    medianTimeToResolveMs: median(resolved),
  };
}

/* ---- Availability ---- */

function availabilityMetrics(input: DigestInput): AvailabilityMetrics {
  const now = input.now.getTime();
  const month = zonedMonth(input.now, input.timeZone);
  const monthStart = month.start.getTime();
  const monthMs = month.end.getTime() - monthStart;
  const elapsed = Math.max(0, now - monthStart);

  const downtimeMs = downtimeWithin(input.incidents, monthStart, now, now);

  const target = input.slo.target;
  const errorBudgetMs = Math.round((1 - target) * monthMs);
  return {
    monthStart: month.start,
    monthEnd: month.end,
    elapsedMs: elapsed,
    monthMs,
    downtimeMs,
    allServices: input.slo.allServices === true,
    availability: elapsed > 0 ? 1 - downtimeMs / elapsed : null,
    target,
    errorBudgetMs,
    budgetUsedMs: downtimeMs,
    budgetLeftMs: errorBudgetMs - downtimeMs,
    budgetUsedRatio: errorBudgetMs > 0 ? downtimeMs / errorBudgetMs : null,
  };
}

/**
 * Downtime in [from, to): the union of the intervals customer-facing incidents spent at P1
 * (open ones up to `now`), overlaps counted once. The digest (month to date) and the weekly
 * update (week, quarter to date) both measure with it, so the same window gives the same figure.
 */
export function downtimeWithin(incidents: readonly IncidentSummary[], from: number, to: number, now: number): number {
  const intervals: [number, number][] = [];
  for (const incident of incidents) {
    if (!incident.customerFacing) continue;
    for (const [start, end] of outageIntervals(incident, now)) {
      const clippedStart = Math.max(start, from);
      const clippedEnd = Math.min(end, to);
      if (clippedEnd > clippedStart) intervals.push([clippedStart, clippedEnd]);
    }
  }
  return unionLength(intervals);
}

/**
 * The intervals an incident spent at P1: what counts against the availability SLO. Measured
 * from its priority history, so an outage lowered to P2 after 30 minutes counts 30 minutes,
 * and one raised to P1 late counts from the raise. Without a history (an open incident known
 * only from the open-now index) its current priority counts from the trigger.
 */
export function outageIntervals(incident: IncidentSummary, now: number): [number, number][] {
  const triggered = time(incident.triggeredAt);
  if (triggered === undefined) return [];
  const end = Math.min(time(incident.resolvedAt) ?? now, now);
  const history = [...(incident.priorityHistory ?? [])]
    .map((change) => ({ priority: change.priority, at: time(change.at) }))
    .filter((change): change is { priority: string; at: number } => change.at !== undefined)
    .sort((a, b) => a.at - b.at);
  if (history.length === 0) return isP1(incident.priority) && end > triggered ? [[triggered, end]] : [];
  const intervals: [number, number][] = [];
  history.forEach((change, index) => {
    if (!isP1(change.priority)) return;
    // The first priority holds from the trigger (the event carrying it may arrive a moment later).
    const from = index === 0 ? Math.min(triggered, change.at) : change.at;
    const until = Math.min(history[index + 1]?.at ?? end, end);
    if (until > from) intervals.push([from, until]);
  });
  return intervals;
}

function isP1(priority: string | null | undefined): boolean {
  return priority?.trim().toUpperCase() === OUTAGE_PRIORITY;
}

/** Total length covered by a set of [start, end) intervals, overlaps counted once. */
function unionLength(intervals: [number, number][]): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let total = 0;
  let currentStart: number | undefined;
  let currentEnd = 0;
  for (const [start, end] of sorted) {
    if (currentStart === undefined || start > currentEnd) {
      if (currentStart !== undefined) total += currentEnd - currentStart;
      currentStart = start;
      currentEnd = end;
    } else if (end > currentEnd) {
      currentEnd = end;
    }
  }
  if (currentStart !== undefined) total += currentEnd - currentStart;
  return total;
}

/* ---- Delivery ---- */

function deliveryMetrics(input: DigestInput): DeliveryMetrics {
  const done = input.issuesDone.filter((i) => inPeriod(i.doneAt, input.period));
  const previousDone = input.previousIssuesDone.filter((i) => inPeriod(i.doneAt, input.previousPeriod)).length;
  const cycleTimes = done.map((i) => elapsedMs(i.firstInProgressAt, i.doneAt)).filter(isNumber);

  const configured = input.deployments !== undefined;
  const deployments = input.deployments?.inPeriod.filter((d) => inPeriod(d.deployedAt, input.period));
  const failed = deployments?.filter((d) => d.causedIncidents.length > 0).length ?? null;
  const periodDays = (input.period.to.getTime() - input.period.from.getTime()) / DAY_MS;

  return {
    done: done.length,
    cycleTimeSamples: cycleTimes.length,
    cycleTimeMedianMs: median(cycleTimes),
    cycleTimeP85Ms: percentileNearestRank(cycleTimes, CYCLE_TIME_PERCENTILE),
    previousDone,
    throughputChangeRatio: previousDone > 0 ? (done.length - previousDone) / previousDone : null,
    deploymentsConfigured: configured,
    deployments: deployments ? deployments.length : null,
    deploymentFrequencyPerDay: deployments && periodDays > 0 ? deployments.length / periodDays : null,
    failedDeployments: failed,
    changeFailureRate: deployments && deployments.length > 0 && failed !== null ? failed / deployments.length : null,
    attributionWindowHours: input.deployments?.attributionWindowHours ?? null,
  };
}

/* ---- Approvals ---- */

function approvalMetrics(input: DigestInput): ApprovalMetrics {
  const now = input.now.getTime();
  const { pending } = input.approvals;
  const datedPending = pending
    .map((p) => ({ p, created: time(p.createdAt) }))
    .filter((x): x is { p: (typeof pending)[number]; created: number } => x.created !== undefined)
    .sort(compareBy((x) => [x.created, x.p.id, x.p.subject, x.p.kind]));
  const oldest = datedPending[0];

  const decided = input.approvals.decidedInPeriod.filter((d) => inPeriod(d.decidedAt, input.period));
  const decidedByStatus = Object.fromEntries(APPROVAL_STATUSES.map((s) => [s, 0])) as Record<ApprovalStatus, number>;
  for (const d of decided) decidedByStatus[d.status] = (decidedByStatus[d.status] ?? 0) + 1;

  return {
    pendingCount: pending.length,
    oldestPending: oldest
      ? { id: oldest.p.id, kind: oldest.p.kind, subject: subjectWithoutCandidate(oldest.p), waitingMs: Math.max(0, now - oldest.created) }
      : null,
    decidedCount: decided.length,
    decidedByStatus,
  };
}

/* ---- Hiring ---- */

function hiringMetrics(input: DigestInput): HiringMetrics {
  const moves = input.hiring.filter((m) => inPeriod(m.at, input.period));
  const applications = (predicate: (m: StageMove) => boolean): number => new Set(moves.filter(predicate).map((m) => m.applicationId)).size;

  const movesByStage = countBy(moves.filter((m) => m.type === 'candidate.stage_changed').map((m) => m.toStage?.trim() || 'unknown'));

  const samples = new Map<string, number[]>();
  for (const move of moves) {
    const stage = move.fromStage?.trim();
    const ms = move.timeInPreviousStageMs;
    if (!stage || typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) continue;
    samples.set(stage, [...(samples.get(stage) ?? []), ms]);
  }
  const timeInStageMs: Record<string, number> = {};
  let bottleneck: HiringMetrics['bottleneck'] = null;
  for (const stage of [...samples.keys()].sort()) {
    const values = samples.get(stage) ?? [];
    const meanMs = mean(values);
    if (meanMs === null) continue;
    timeInStageMs[stage] = meanMs;
    if (values.length >= BOTTLENECK_MIN_SAMPLES && (bottleneck === null || meanMs > bottleneck.meanTimeInStageMs)) {
      bottleneck = { stage, meanTimeInStageMs: meanMs, samples: values.length };
    }
  }

  return {
    moves: moves.length,
    movesByStage,
    newApplications: applications((m) => m.type === 'candidate.application_created'),
    rejections: applications((m) => m.type === 'candidate.rejected'),
    offersMade: applications((m) => m.type === 'candidate.offer_created'),
    offersAccepted: applications((m) => offerStatusIn(m.offerStatus, OFFER_ACCEPTED_STATUSES)),
    offersDeclined: applications((m) => offerStatusIn(m.offerStatus, OFFER_DECLINED_STATUSES)),
    hires: applications((m) => m.type === 'candidate.hired'),
    bottleneck,
    timeInStageMs,
  };
}

function offerStatusIn(status: string | null | undefined, statuses: readonly string[]): boolean {
  return typeof status === 'string' && statuses.includes(status.toLowerCase().replace(/[^a-z]/g, ''));
}

/* ---- Wins ---- */

function winsMetrics(input: DigestInput): WinsMetrics {
  const resolvedIncidents = input.incidents
    .filter((i) => inPeriod(i.resolvedAt, input.period))
    .sort(compareBy((i) => [time(i.resolvedAt) ?? 0, i.key, i.id, i.title]))
    .map((i) => ({ key: i.key, title: i.title, responders: [...new Set(i.responders)] }));
  const shipped = input.issuesDone
    .filter((i) => inPeriod(i.doneAt, input.period))
    .sort(compareBy((i) => [time(i.doneAt) ?? 0, i.key, i.title, i.assignee ?? '']))
    .map((i) => ({ key: i.key, title: i.title, assignee: i.assignee }));
  const firstHire = new Map<string, StageMove>();
  for (const move of input.hiring
    .filter((m) => m.type === 'candidate.hired' && inPeriod(m.at, input.period))
    .sort(compareBy((m) => [time(m.at) ?? 0, m.applicationId, m.job ?? '']))) {
    if (!firstHire.has(move.applicationId)) firstHire.set(move.applicationId, move);
  }
  const hires = [...firstHire.values()].map((m) => ({ job: m.job }));
  return { resolvedIncidents, shipped, hires };
}

/* ---- Helpers ---- */

/** Epoch ms of an ISO instant, or undefined when missing or unparseable. */
function time(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : undefined;
}

/** from ≤ t < to. */
function inPeriod(iso: string | undefined, period: { from: Date; to: Date }): boolean {
  const t = time(iso);
  return t !== undefined && t >= period.from.getTime() && t < period.to.getTime();
}

/** Occurrences of each label, keys in sorted order. */
function countBy(labels: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const label of [...labels].sort()) counts[label] = (counts[label] ?? 0) + 1;
  return counts;
}

function isNumber(value: number | undefined): value is number {
  return value !== undefined;
}

type SortKey = string | number;

/**
 * A comparator over a tuple of keys (numbers ascending, strings by code point), with the whole
 * item as the last key, so equal keys never leave the order to the input.
 */
function compareBy<T>(keys: (item: T) => SortKey[]): (a: T, b: T) => number {
  return (a, b) => {
    const ka = [...keys(a), JSON.stringify(a)];
    const kb = [...keys(b), JSON.stringify(b)];
    for (let i = 0; i < Math.max(ka.length, kb.length); i += 1) {
      const x = ka[i];
      const y = kb[i];
      if (x === y) continue;
      if (x === undefined) return -1;
      if (y === undefined) return 1;
      if (typeof x === 'number' && typeof y === 'number') return x - y;
      return String(x) < String(y) ? -1 : 1;
    }
    return 0;
  };
}
