import { formatDuration } from '../core/durations';
import type { ApprovalStatus, DigestInput, DigestMetrics } from './metrics';
import { UNPRIORITISED } from './metrics';
import { doraLines } from './dora-lines';
import { formatChange, hiresLine, plural } from './line-format';
import { zonedParts } from './zoned-time';

/*
 * The digest's lines, written by code from the metrics: the writer (template or model) only
 * lays them out or narrates them, so every number it can quote is here. Durations use
 * formatDuration (`45 s`, `4 min 20 s`, `1 h 05 min`, `2 d 3 h`), the same format the grounding
 * check knows.
 *
 * Precision:
 * - availability: three decimals, rounded DOWN (99.9996% prints 99.999%, never 100.000%);
 * - SLO target: as configured, up to four decimals, trailing zeros dropped (0.9999 → 99.99%);
 * - budget used, throughput change and change failure rate: whole percent, rounded half up;
 * - deployment frequency: one decimal, per day of real time.
 */

export interface DigestLines {
  period: string;
  quiet: boolean;
  incidents: string[];
  availability: string[];
  delivery: string[];
  approvals: string[];
  hiring: string[];
  wins: string[];
}

/** How many items a list line names before it says "and N more". */
export const MAX_LISTED = 5;

/** `November 2026`, in the digest's time zone. */
function monthName(start: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone }).format(start);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const APPROVAL_STATUS_ORDER: readonly ApprovalStatus[] = ['approved', 'rejected', 'expired', 'cancelled'];

/** The digest facts: plain-English lines per section; an empty section is []. */
export function metricLines(metrics: DigestMetrics, input: DigestInput): DigestLines {
  return {
    period: formatPeriod(input.period.from, input.period.to, input.timeZone),
    quiet: metrics.quiet,
    incidents: incidentLines(metrics),
    availability: availabilityLines(metrics, input.timeZone),
    delivery: deliveryLines(metrics, input),
    approvals: approvalLines(metrics),
    hiring: hiringLines(metrics),
    wins: winLines(metrics),
  };
}

/** `Mon 23 Nov 09:00 – Tue 24 Nov 09:00 (America/New_York)`: wall-clock times in the time zone. */
export function formatPeriod(from: Date, to: Date, timeZone: string): string {
  return `${formatWallClock(from, timeZone)} – ${formatWallClock(to, timeZone)} (${timeZone})`;
}

function formatWallClock(date: Date, timeZone: string): string {
  const p = zonedParts(date, timeZone);
  return `${p.weekday} ${p.day} ${MONTHS[p.month - 1] ?? ''} ${pad(p.hour)}:${pad(p.minute)}`;
}

/* ---- Incidents ---- */

function incidentLines(metrics: DigestMetrics): string[] {
  const m = metrics.incidents;
  const lines: string[] = [];
  const stillOpen = m.openNow > 0 ? `${m.openNow} still open` : '';
  if (m.triggered > 0) {
    const byPriority = Object.entries(m.countByPriority)
      .sort(([a], [b]) => comparePriority(a, b))
      .map(([priority, count]) => `${count} ${priority}`)
      .join(', ');
    lines.push(`${plural(m.triggered, 'incident')}: ${byPriority}${stillOpen ? `; ${stillOpen}` : ''}`);
  } else if (stillOpen) {
    lines.push(`No new incidents; ${stillOpen}`);
  }
  for (const open of m.open.slice(0, MAX_LISTED)) {
    const labels = [open.priority ?? UNPRIORITISED, open.service].filter(Boolean).join(', ');
    lines.push(`Still open: ${open.key} ${open.title} (${labels}), open for ${formatDuration(open.openForMs)}`);
  }
  if (m.open.length > MAX_LISTED) lines.push(`and ${m.open.length - MAX_LISTED} more still open`);
  const lower = m.lowerPriority;
  if (lower.triggered > 0 || lower.openNow > 0) {
    const longest = lower.longestOpen;
    const longestText = longest
      ? `; longest open: ${longest.key} ${longest.title} (${longest.priority ?? UNPRIORITISED}), ${formatDuration(longest.openForMs)}`
      : '';
    lines.push(`${plural(lower.triggered, 'lower-priority incident')} (below ${lower.below}, no brief), ${lower.openNow} still open${longestText}`);
  }

  const parts: string[] = [];
  if (m.meanTimeToAcknowledgeMs !== null) parts.push(`Mean time to acknowledge ${formatDuration(m.meanTimeToAcknowledgeMs)}`);
  if (m.meanTimeToResolveMs !== null && m.medianTimeToResolveMs !== null) {
    const resolve = `mean ${formatDuration(m.meanTimeToResolveMs)}, median ${formatDuration(m.medianTimeToResolveMs)}`;
    parts.push(parts.length > 0 ? `time to resolve ${resolve}` : `Time to resolve ${resolve}`);
  }
  if (parts.length > 0) lines.push(parts.join('; '));
  return lines;
}

/** P1 < P2 < P10 (numbers compared as numbers), `unprioritised` last. */
function comparePriority(a: string, b: string): number {
  if (a === UNPRIORITISED || b === UNPRIORITISED) return (a === UNPRIORITISED ? 1 : 0) - (b === UNPRIORITISED ? 1 : 0);
  return a.localeCompare(b, 'en', { numeric: true });
}

/* ---- Availability ---- */

function availabilityLines(metrics: DigestMetrics, timeZone: string): string[] {
  const a = metrics.availability;
  // A past month is measured as of its last instant (a question about last month): it is named, never called "this month".
  const month = a.elapsedMs >= a.monthMs - 1 ? `in ${monthName(a.monthStart, timeZone)}` : 'this month';
  // A quiet period in a month without downtime has nothing to say about availability.
  if (metrics.quiet && a.downtimeMs === 0) return [];
  const slo = `against a ${formatTarget(a.target)} SLO`;
  if (a.availability === null) return [`Availability ${month} ${slo}: not enough data (the month has just started)`];
  const availability = formatAvailability(a.downtimeMs, a.elapsedMs);
  // Which services count, said every time, so "no downtime" is never read as more than it is.
  const scope = a.allServices
    ? 'Every service counts (set DIGEST_CUSTOMER_FACING_SERVICES to count only customer-facing ones); downtime is time spent at P1'
    : 'Downtime is time customer-facing services spent at P1';
  if (a.downtimeMs === 0) {
    return [`Availability ${month} ${availability} ${slo}: no time at P1; error budget ${formatDuration(a.errorBudgetMs)}, none used`, scope];
  }
  const used = a.budgetUsedRatio === null ? '' : ` (${Math.round(a.budgetUsedRatio * 100)}%)`;
  const lines = [
    `Availability ${month} ${availability} ${slo}: ${formatDuration(a.downtimeMs)} of downtime; error budget ${formatDuration(a.errorBudgetMs)}, used ${formatDuration(a.budgetUsedMs)}${used}`,
  ];
  lines.push(
    a.budgetLeftMs < 0
      ? `Error budget overspent by ${formatDuration(-a.budgetLeftMs)}`
      : `${formatDuration(a.budgetLeftMs)} of error budget left ${month === 'this month' ? month : `at the end of ${monthName(a.monthStart, timeZone)}`}`,
  );
  lines.push(scope);
  return lines;
}

/** (elapsed − downtime) / elapsed as a percentage with three decimals, rounded down, in integer arithmetic. */
export function formatAvailability(downtimeMs: number, elapsedMs: number): string {
  const milliPercent = Math.floor(((elapsedMs - downtimeMs) * 100_000) / elapsedMs);
  return `${Math.floor(milliPercent / 1000)}.${String(milliPercent % 1000).padStart(3, '0')}%`;
}

/** An SLO target as a percentage, up to four decimals, trailing zeros dropped: 0.9999 → `99.99%`. */
export function formatTarget(target: number): string {
  return `${(target * 100).toFixed(4).replace(/\.?0+$/, '')}%`;
}

/* ---- Delivery ---- */

function deliveryLines(metrics: DigestMetrics, input: DigestInput): string[] {
  const d = metrics.delivery;
  const lines: string[] = [];
  if (d.done > 0 || d.previousDone > 0) {
    const done = d.done > 0 ? `${plural(d.done, 'issue')} done` : 'No issues done';
    const trend =
      d.throughputChangeRatio === null ? 'none in the previous period' : `${d.previousDone} in the previous period, ${formatChange(d.throughputChangeRatio)}`;
    lines.push(`${done} (${trend})`);
  }
  if (d.cycleTimeMedianMs !== null && d.cycleTimeP85Ms !== null) {
    lines.push(
      `Cycle time median ${formatDuration(d.cycleTimeMedianMs)}, 85th percentile ${formatDuration(d.cycleTimeP85Ms)} (${plural(d.cycleTimeSamples, 'issue')} with a start date)`,
    );
  }
  // GitHub deployments give the DORA lines; Jira "deployed" statuses remain an alternative source.
  const dora = metrics.dora;
  if (dora?.anyDeploymentRecorded) lines.push(...doraLines(dora, input.dora?.attributionWindowHours ?? 0));
  if (!d.deploymentsConfigured || d.deployments === null) {
    if (!metrics.quiet && !dora?.anyDeploymentRecorded) {
      lines.push(
        'Deployment frequency, lead time and change failure rate: not enough data (no production deployment recorded: send GitHub deployment_status webhooks to POST /webhooks/github, or set DIGEST_DEPLOYED_STATUSES for Jira)',
      );
    }
  } else if (d.deployments === 0) {
    if (!metrics.quiet) lines.push('No deployments in the period; change failure rate: not enough data');
  } else {
    const frequency = d.deploymentFrequencyPerDay === null ? '' : ` (${d.deploymentFrequencyPerDay.toFixed(1)} a day)`;
    const failure =
      d.changeFailureRate === null || d.failedDeployments === null
        ? 'change failure rate: not enough data'
        : `change failure rate ${Math.round(d.changeFailureRate * 100)}% (${d.failedDeployments} of ${d.deployments} caused an incident)`;
    lines.push(`${plural(d.deployments, 'deployment')}${frequency}; ${failure}`);
  }
  return lines;
}

/* ---- Approvals ---- */

function approvalLines(metrics: DigestMetrics): string[] {
  const a = metrics.approvals;
  const lines: string[] = [];
  if (a.pendingCount > 0) {
    const oldest = a.oldestPending ? `; oldest: ${a.oldestPending.subject}, waiting ${formatDuration(a.oldestPending.waitingMs)}` : '';
    lines.push(`${plural(a.pendingCount, 'approval')} waiting${oldest}`);
  }
  if (a.decidedCount > 0) {
    const byStatus = APPROVAL_STATUS_ORDER.filter((s) => (a.decidedByStatus[s] ?? 0) > 0)
      .map((s) => `${a.decidedByStatus[s]} ${s}`)
      .join(', ');
    lines.push(`${a.decidedCount} decided in the period: ${byStatus}`);
  }
  return lines;
}

/* ---- Hiring ---- */

function hiringLines(metrics: DigestMetrics): string[] {
  const h = metrics.hiring;
  const lines: string[] = [];
  const stages = Object.entries(h.movesByStage).sort(([sa, a], [sb, b]) => b - a || (sa < sb ? -1 : sa > sb ? 1 : 0));
  if (stages.length > 0) lines.push(`Stage moves: ${stages.map(([stage, count]) => `${count} to ${stage}`).join(', ')}`);
  const pipeline = [h.newApplications > 0 ? plural(h.newApplications, 'new application') : '', h.rejections > 0 ? `${h.rejections} rejected` : ''].filter(
    Boolean,
  );
  if (pipeline.length > 0) lines.push(pipeline.join('; '));
  const offers = [
    h.offersMade > 0 ? `${plural(h.offersMade, 'offer')} made` : '',
    h.offersAccepted > 0 ? `${plural(h.offersAccepted, 'offer')} accepted` : '',
    h.offersDeclined > 0 ? `${plural(h.offersDeclined, 'offer')} declined` : '',
    h.hires > 0 ? plural(h.hires, 'hire') : '',
  ].filter(Boolean);
  if (offers.length > 0) lines.push(offers.join('; '));
  if (h.bottleneck) {
    lines.push(
      `Bottleneck: ${h.bottleneck.stage}, mean ${formatDuration(h.bottleneck.meanTimeInStageMs)} in stage (${plural(h.bottleneck.samples, 'candidate')} moved on)`,
    );
  }
  return lines;
}

/* ---- Wins ---- */

function winLines(metrics: DigestMetrics): string[] {
  const w = metrics.wins;
  const lines: string[] = [];
  for (const incident of w.resolvedIncidents.slice(0, MAX_LISTED)) {
    const thanks = incident.responders.length > 0 ? `, thanks to ${listOf(incident.responders)}` : '';
    lines.push(`Resolved ${incident.key} ${incident.title}${thanks}`);
  }
  if (w.resolvedIncidents.length > MAX_LISTED) lines.push(`and ${w.resolvedIncidents.length - MAX_LISTED} more incidents resolved`);
  for (const issue of w.shipped.slice(0, MAX_LISTED)) {
    lines.push(`Shipped ${issue.key} ${issue.title}${issue.assignee ? ` (${issue.assignee})` : ''}`);
  }
  if (w.shipped.length > MAX_LISTED) lines.push(`and ${w.shipped.length - MAX_LISTED} more issues done`);
  if (w.hires.length > 0) lines.push(hiresLine(w.hires));
  return lines;
}

/* ---- Helpers ---- */

/** `A`, `A and B`, `A, B and C`. */
function listOf(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
