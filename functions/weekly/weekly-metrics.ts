import { subjectWithoutCandidate } from '../approvals/hiring-approval';
import type { PendingApproval } from '../ports/approval-store';
import type { OpenIncident } from '../ports/store';
import { buildDigestInput } from '../digest/digest-input';
import { computeDigestMetrics, type DigestMetrics, downtimeWithin, type IncidentSummary, outageIntervals } from '../digest/metrics';
import { zonedQuarter } from '../digest/zoned-time';
import { afterHours, type AfterHoursMetrics } from './after-hours';
import { investment, type InvestmentMetrics } from './investment';
import { reworkRate, type ReworkMetrics } from './rework';
import type { WeeklyConfig } from './weekly-config';
import { completionsFrom, escalationsFrom, pagesFrom } from './weekly-input';

/*
 * The weekly update's figures, computed in code from what was read for its window. The digest's
 * own computations do the shared work (incidents, DORA, approvals, hiring, wins, downtime), so a
 * figure both show is measured the same way. "This week" is [from, to) with to the scheduled
 * time and from seven days before; "previous week" the seven days before that.
 */

export const TREND_WEEKS = 4;
const WEEK_MS = 7 * 86_400_000;

export interface WeeklySources {
  items: Record<string, unknown>[];
  changes: Record<string, unknown>[];
  openIncidents: OpenIncident[];
  pendingApprovals: PendingApproval[];
}

export interface Window {
  from: Date;
  to: Date;
}

export interface AvailabilityWindow {
  from: string;
  to: string;
  elapsedMs: number;
  downtimeMs: number;
  /** 1 − downtime / elapsed; null when nothing has elapsed. */
  availability: number | null;
}

export interface CustomerIncident {
  key: string;
  title: string;
  priority: string | null;
  service: string | null;
  triggeredAt: string;
  resolvedAt?: string;
  /** Time from trigger to resolution (or to the end of the week while open). */
  durationMs: number;
  /** Time at P1 within the week: what counts as downtime. */
  downtimeMs: number;
  open: boolean;
}

export interface WeeklyMetrics {
  week: { from: string; to: string };
  previousWeek: { from: string; to: string };
  reliability: {
    target: number;
    allServices: boolean;
    week: AvailabilityWindow;
    previousWeek: AvailabilityWindow;
    quarter: AvailabilityWindow & { quarterStart: string; quarterEnd: string; errorBudgetMs: number; budgetLeftMs: number };
    /** Incidents at P1 or P2 on customer-facing services, triggered this week or open during it. */
    customerIncidents: CustomerIncident[];
    previousCustomerIncidents: number;
  };
  delivery: {
    dora: DigestMetrics['dora'];
    rework: ReworkMetrics;
    previousRework: ReworkMetrics;
    trend: { from: string; deployments: number; leadTimeMedianMs: number | null }[];
  };
  investment: InvestmentMetrics;
  load: { week: AfterHoursMetrics; previousWeek: AfterHoursMetrics; pagesRecorded: boolean };
  hiring: { week: DigestMetrics['hiring']; previousWeek: DigestMetrics['hiring'] };
  decisions: {
    decided: DigestMetrics['approvals']['decidedByStatus'];
    decidedCount: number;
    previousDecidedCount: number;
    pending: { id: string; kind: string; subject: string; waitingMs: number }[];
    /** Pending approvals of a kind decided outside engineering (WEEKLY_ASK_KINDS), oldest first. */
    asks: { id: string; kind: string; subject: string; waitingMs: number }[];
    /** Whether WEEKLY_ASK_KINDS names any kind. */
    askKindsConfigured: boolean;
    escalations: number;
    previousEscalations: number;
  };
  wins: DigestMetrics['wins'] & { milestones: { key: string; title: string }[] };
  /** What each section had to work with: a section with nothing says what is missing instead of a zero. */
  data: { incidentsRecorded: boolean; deploymentsRecorded: boolean; completionsRecorded: boolean; hiringRecorded: boolean };
}

/** Issue types whose completion is a milestone worth naming among the wins. */
export const MILESTONE_ISSUE_TYPES = ['epic', 'initiative', 'milestone'];

/** The read window: the quarter so far or the four weeks of trend, whichever starts earlier. */
export function weeklyReadWindow(to: Date, timeZone: string): Window {
  const quarter = zonedQuarter(new Date(to.getTime() - 1), timeZone).start;
  return { from: new Date(Math.min(quarter.getTime(), to.getTime() - TREND_WEEKS * WEEK_MS)), to };
}

/** Every figure of the weekly update for the week ending at `to`. */
export function computeWeeklyMetrics(sources: WeeklySources, to: Date, config: WeeklyConfig): WeeklyMetrics {
  const week = { from: new Date(to.getTime() - WEEK_MS), to };
  const previousWeek = { from: new Date(to.getTime() - 2 * WEEK_MS), to: week.from };
  const digestSources = { items: sources.items, openIncidents: sources.openIncidents, pendingApprovals: sources.pendingApprovals, changes: sources.changes };
  const input = buildDigestInput(digestSources, { period: week, previousPeriod: previousWeek, now: to }, config.digest);
  const metrics = computeDigestMetrics(input);
  const previousInput = buildDigestInput(
    digestSources,
    { period: previousWeek, previousPeriod: { from: new Date(to.getTime() - 3 * WEEK_MS), to: previousWeek.from }, now: previousWeek.to },
    config.digest,
  );
  const previous = computeDigestMetrics(previousInput);

  const now = to.getTime();
  const window = (w: Window): AvailabilityWindow => {
    const elapsedMs = Math.max(0, w.to.getTime() - w.from.getTime());
    const downtimeMs = downtimeWithin(input.incidents, w.from.getTime(), w.to.getTime(), now);
    return { from: w.from.toISOString(), to: w.to.toISOString(), elapsedMs, downtimeMs, availability: elapsedMs > 0 ? 1 - downtimeMs / elapsedMs : null };
  };
  const quarter = zonedQuarter(new Date(now - 1), config.digest.timeZone);
  const quarterWindow = window({ from: quarter.start, to });
  const errorBudgetMs = Math.round((1 - config.digest.sloTarget) * (quarter.end.getTime() - quarter.start.getTime()));

  const rework = (w: Window) =>
    reworkRate(
      {
        deployments: input.dora?.deployments ?? [],
        changes: input.dora?.changes ?? [],
        incidents: input.incidents,
        productionEnvironments: config.digest.productionEnvironments,
        serviceRepositories: config.digest.serviceRepositories,
      },
      w,
    );
  const pages = pagesFrom(sources.items);
  const completions = completionsFrom(sources.items);
  const escalations = escalationsFrom(sources.items);
  const countIn = (instants: string[], w: Window) => instants.filter((at) => Date.parse(at) >= w.from.getTime() && Date.parse(at) < w.to.getTime()).length;
  const pending = sources.pendingApprovals
    .map((p) => ({ id: p.id, kind: p.kind, subject: subjectWithoutCandidate(p), waitingMs: Math.max(0, now - Date.parse(p.createdAt)) }))
    .filter((p) => Number.isFinite(p.waitingMs))
    .sort((a, b) => b.waitingMs - a.waitingMs || (a.id < b.id ? -1 : 1));
  const askKinds = new Set(config.askKinds.map((kind) => kind.toLowerCase()));
  const milestoneKeys = new Set(completions.filter((c) => MILESTONE_ISSUE_TYPES.includes((c.issueType ?? '').toLowerCase())).map((c) => c.key));

  return {
    week: { from: week.from.toISOString(), to: to.toISOString() },
    previousWeek: { from: previousWeek.from.toISOString(), to: previousWeek.to.toISOString() },
    reliability: {
      target: config.digest.sloTarget,
      allServices: config.digest.customerFacingServices.length === 0,
      week: window(week),
      previousWeek: window(previousWeek),
      quarter: {
        ...quarterWindow,
        quarterStart: quarter.start.toISOString(),
        quarterEnd: quarter.end.toISOString(),
        errorBudgetMs,
        budgetLeftMs: errorBudgetMs - quarterWindow.downtimeMs,
      },
      customerIncidents: customerIncidents(input.incidents, week, now),
      previousCustomerIncidents: customerIncidents(input.incidents, previousWeek, previousWeek.to.getTime()).length,
    },
    delivery: {
      dora: metrics.dora,
      rework: rework(week),
      previousRework: rework(previousWeek),
      trend: (metrics.dora?.weeks ?? [])
        .slice(-TREND_WEEKS)
        .map((w) => ({ from: w.from.toISOString(), deployments: w.deployments, leadTimeMedianMs: w.leadTimeMedianMs })),
    },
    investment: investment(completions, to, TREND_WEEKS, config.investmentCategories, config.investmentTargets),
    load: {
      week: afterHours(pages, week, config.workingHours),
      previousWeek: afterHours(pages, previousWeek, config.workingHours),
      pagesRecorded: pages.length > 0,
    },
    hiring: { week: metrics.hiring, previousWeek: previous.hiring },
    decisions: {
      decided: metrics.approvals.decidedByStatus,
      decidedCount: metrics.approvals.decidedCount,
      previousDecidedCount: previous.approvals.decidedCount,
      pending,
      asks: pending.filter((p) => askKinds.has(p.kind.toLowerCase())),
      askKindsConfigured: askKinds.size > 0,
      escalations: countIn(
        escalations.map((e) => e.firedAt),
        week,
      ),
      previousEscalations: countIn(
        escalations.map((e) => e.firedAt),
        previousWeek,
      ),
    },
    wins: { ...metrics.wins, milestones: metrics.wins.shipped.filter((issue) => milestoneKeys.has(issue.key)).map(({ key, title }) => ({ key, title })) },
    data: {
      incidentsRecorded: input.incidents.length > 0,
      deploymentsRecorded: metrics.dora?.anyDeploymentRecorded === true,
      completionsRecorded: completions.length > 0,
      hiringRecorded: sources.items.some((item) => item.kind === 'application-event'),
    },
  };
}

/**
 * Customer-affecting: on a customer-facing service, at P1 or P2 at some time, and triggered in
 * the week or still open when it began. Its duration runs from the trigger to the resolution,
 * or to the week's end while open.
 */
function customerIncidents(incidents: readonly IncidentSummary[], week: Window, now: number): CustomerIncident[] {
  const severe = (i: IncidentSummary) => [i.priority, ...(i.priorityHistory ?? []).map((c) => c.priority)].some((p) => p === 'P1' || p === 'P2');
  return incidents
    .filter((i) => i.customerFacing && severe(i))
    .filter((i) => {
      const triggered = Date.parse(i.triggeredAt);
      const resolved = i.resolvedAt ? Date.parse(i.resolvedAt) : Number.POSITIVE_INFINITY;
      return triggered < week.to.getTime() && resolved >= week.from.getTime();
    })
    .map((i) => {
      const end = Math.min(i.resolvedAt ? Date.parse(i.resolvedAt) : now, week.to.getTime());
      const atP1 = outageIntervals(i, now)
        .map(([s, e]) => Math.max(0, Math.min(e, week.to.getTime()) - Math.max(s, week.from.getTime())))
        .reduce((sum, ms) => sum + ms, 0);
      return {
        key: i.key,
        title: i.title,
        priority: i.priority,
        service: i.service,
        triggeredAt: i.triggeredAt,
        ...(i.resolvedAt ? { resolvedAt: i.resolvedAt } : {}),
        durationMs: Math.max(0, end - Date.parse(i.triggeredAt)),
        downtimeMs: atP1,
        open: !i.resolvedAt || Date.parse(i.resolvedAt) >= week.to.getTime(),
      };
    })
    .sort((a, b) => a.triggeredAt.localeCompare(b.triggeredAt) || (a.key < b.key ? -1 : 1));
}
