import { formatDuration } from '../core/durations';
import { formatPeriod, formatAvailability, formatTarget } from '../digest/metric-lines';
import { formatChange, hiresLine, plural } from '../digest/line-format';
import { sparkline } from '../digest/dora-lines';
import { UNCATEGORISED } from './investment';
import { TREND_WEEKS, type WeeklyMetrics } from './weekly-metrics';

/*
 * The weekly update's facts: one plain-English line per figure, written by code, each against
 * the previous week. The writer (template or model) lays them out or narrates them and never
 * computes. A section with nothing to measure says what is missing and how to get it.
 * Percentages are whole percent rounded half up, availability three decimals rounded down.
 */

export interface WeeklyLines {
  period: string;
  headline: string;
  reliability: string[];
  delivery: string[];
  effort: string[];
  load: string[];
  decisions: string[];
  wins: string[];
}

const MAX_LISTED = 5;

export function weeklyLines(m: WeeklyMetrics, timeZone: string): WeeklyLines {
  return {
    period: formatPeriod(new Date(m.week.from), new Date(m.week.to), timeZone),
    headline: headline(m),
    reliability: reliabilityLines(m),
    delivery: deliveryLines(m),
    effort: effortLines(m),
    load: loadLines(m),
    decisions: decisionLines(m),
    wins: winLines(m),
  };
}

const percent = (ratio: number) => `${Math.round(ratio * 100)}%`;
const availabilityOf = (w: { downtimeMs: number; elapsedMs: number }) => formatAvailability(w.downtimeMs, w.elapsedMs);

function headline(m: WeeklyMetrics): string {
  const r = m.reliability;
  const parts: string[] = [];
  // Without incident data there is no basis for an availability figure: said, not assumed.
  if (!m.data.incidentsRecorded) parts.push('no incident data recorded, so availability is not measured');
  else if (r.week.availability !== null) {
    parts.push(`availability ${availabilityOf(r.week)} ${r.week.availability >= r.target ? 'met' : 'missed'} ${formatTarget(r.target)}`);
  }
  const customer = r.customerIncidents.length;
  if (m.data.incidentsRecorded) parts.push(customer === 0 ? 'no customer-affecting incident' : plural(customer, 'customer-affecting incident'));
  if (m.delivery.rework.deployments > 0) parts.push(`${plural(m.delivery.rework.deployments, 'deploy')}, ${m.delivery.rework.rework} rework`);
  // Slack shows at most 150 characters of a headline: the parts are kept short.
  return `This week: ${parts.join('; ')}.`;
}

/* ---- Reliability ---- */

function reliabilityLines(m: WeeklyMetrics): string[] {
  const r = m.reliability;
  const slo = `the ${formatTarget(r.target)} objective`;
  if (!m.data.incidentsRecorded) {
    return [
      `Availability against ${slo}: no incident recorded this quarter, so nothing counts as downtime; if that is unexpected, connect the PagerDuty webhook (POST /webhooks/pagerduty)`,
    ];
  }
  const lines: string[] = [];
  lines.push(
    `Availability this week ${availabilityOf(r.week)} against ${slo} (${formatDuration(r.week.downtimeMs)} at P1; previous week ${availabilityOf(r.previousWeek)}, ${formatDuration(r.previousWeek.downtimeMs)} at P1)`,
  );
  if (r.quarter.availability !== null) {
    lines.push(`Availability this quarter so far ${availabilityOf(r.quarter)} (${formatDuration(r.quarter.downtimeMs)} of downtime)`);
  }
  lines.push(
    r.quarter.budgetLeftMs >= 0
      ? `Error budget for the quarter: ${formatDuration(r.quarter.budgetLeftMs)} left of ${formatDuration(r.quarter.errorBudgetMs)}`
      : `Error budget for the quarter overspent by ${formatDuration(-r.quarter.budgetLeftMs)} (budget ${formatDuration(r.quarter.errorBudgetMs)})`,
  );
  const count = r.customerIncidents.length;
  lines.push(
    `${count === 0 ? 'No customer-affecting incidents' : plural(count, 'customer-affecting incident')} this week (previous week ${r.previousCustomerIncidents})`,
  );
  for (const incident of r.customerIncidents.slice(0, MAX_LISTED)) {
    const where = incident.service ? ` on ${incident.service}` : '';
    const how = incident.open ? `still open after ${formatDuration(incident.durationMs)}` : `for ${formatDuration(incident.durationMs)}`;
    const down = incident.downtimeMs > 0 ? `, ${formatDuration(incident.downtimeMs)} of it at P1` : '';
    lines.push(`${incident.key}${where}: ${incident.title}, ${how}${down}`);
  }
  if (count > MAX_LISTED) lines.push(`and ${count - MAX_LISTED} more`);
  lines.push(
    r.allServices
      ? 'Every service counts toward availability (no customer-facing services are configured); downtime is time at P1'
      : 'Downtime is time customer-facing services spent at P1',
  );
  return lines;
}

/* ---- Delivery ---- */

function deliveryLines(m: WeeklyMetrics): string[] {
  const d = m.delivery;
  const dora = d.dora;
  if (!m.data.deploymentsRecorded || !dora) {
    return [
      'Delivery: no production deployment recorded: send GitHub deployment_status and pull_request webhooks to POST /webhooks/github (and name production environments in DORA_PRODUCTION_ENVIRONMENTS if they are not called production or prod)',
    ];
  }
  const lines: string[] = [];
  const change = dora.frequencyChangeRatio === null ? '' : `, ${formatChange(dora.frequencyChangeRatio)}`;
  lines.push(`Deployment frequency: ${plural(dora.deployments, 'production deployment')} this week (previous week ${dora.previousDeployments}${change})`);
  lines.push(
    dora.leadTimeMedianMs !== null
      ? `Change lead time: median ${formatDuration(dora.leadTimeMedianMs)} over ${plural(dora.leadTimeSamples, 'merged pull request')}`
      : 'Change lead time: no merged pull request reached production this week',
  );
  lines.push(
    dora.changeFailureRate !== null
      ? `Change failure rate: ${percent(dora.changeFailureRate)} (${dora.failedDeployments} of ${dora.deployments})`
      : 'Change failure rate: no production deployment this week',
  );
  if (dora.recoveryMedianMs !== null)
    lines.push(`Failed deployment recovery time: median ${formatDuration(dora.recoveryMedianMs)} over ${plural(dora.recoverySamples, 'failed deployment')}`);
  else if (dora.unrecovered > 0)
    lines.push(`Failed deployment recovery time: the incident after ${plural(dora.unrecovered, 'failed deployment')} is still open`);
  const r = d.rework;
  const previous =
    d.previousRework.rate === null
      ? 'previous week no deployments'
      : `previous week ${percent(d.previousRework.rate)}, ${d.previousRework.rework} of ${d.previousRework.deployments}`;
  lines.push(
    r.rate === null
      ? `Deployment rework rate: no production deployment this week (${previous})`
      : `Deployment rework rate: ${percent(r.rate)} (${r.rework} of ${r.deployments} production deployments were unplanned fixes: during an open P1/P2 on a linked service, or a revert, rollback or hotfix; ${previous})`,
  );
  const deployments = d.trend.map((w) => w.deployments);
  lines.push(`Deployments per week, last ${TREND_WEEKS} weeks: ${sparkline(deployments)} ${deployments.join(', ')}`);
  const leads = d.trend.map((w) => w.leadTimeMedianMs);
  if (leads.some((v) => v !== null)) {
    lines.push(`Lead time per week (median), last ${TREND_WEEKS} weeks: ${leads.map((v) => (v === null ? '–' : formatDuration(v))).join(', ')}`);
  }
  return lines;
}

/* ---- Where the effort went ---- */

function effortLines(m: WeeklyMetrics): string[] {
  const inv = m.investment;
  const thisWeek = inv.weeks.at(-1);
  const lastWeek = inv.weeks.at(-2);
  if (!m.data.completionsRecorded || !thisWeek) {
    return ['Where the effort went: no Jira issues completed in the last 4 weeks: connect the Jira webhook (POST /webhooks/jira, issue updated events)'];
  }
  if (thisWeek.total === 0) {
    return [`No Jira issues completed this week (previous week ${lastWeek?.total ?? 0}); is the Jira webhook still connected?`];
  }
  const lines = [`${plural(thisWeek.total, 'Jira issue')} completed this week (previous week ${lastWeek?.total ?? 0})`];
  for (const category of inv.categories) {
    const count = thisWeek.counts[category] ?? 0;
    if (count === 0 && category === UNCATEGORISED) continue;
    const before =
      lastWeek && lastWeek.total > 0 ? `previous week ${percent((lastWeek.counts[category] ?? 0) / lastWeek.total)}` : 'previous week none completed';
    const trend = inv.weeks.map((w) => (w.total > 0 ? percent((w.counts[category] ?? 0) / w.total) : '–')).join(', ');
    lines.push(
      `${capitalise(category)}: ${percent(count / thisWeek.total)} (${count} of ${thisWeek.total}; ${before}; last ${inv.weeks.length} weeks ${trend})`,
    );
  }
  for (const gap of inv.gaps) {
    if (gap.share === null || gap.gap === null) continue;
    const points = Math.round(gap.gap * 100);
    const against = points === 0 ? 'on target' : `${Math.abs(points)} points ${points > 0 ? 'above' : 'below'} target`;
    lines.push(`${capitalise(gap.category)} target ${percent(gap.target)}: ${percent(gap.share)} this week, ${against}`);
  }
  return lines;
}

/* ---- People and load ---- */

function loadLines(m: WeeklyMetrics): string[] {
  const { week, previousWeek } = m.load;
  const lines: string[] = [];
  if (!m.load.pagesRecorded) {
    lines.push('Pages: no PagerDuty page recorded in the last 4 weeks: connect the PagerDuty webhook (incident.triggered, escalated and reassigned events)');
  } else {
    lines.push(
      `${plural(week.afterHoursPages, 'page')} outside working hours this week (${week.nightPages} at night, ${week.weekendPages} at the weekend; previous week ${previousWeek.afterHoursPages}), of ${plural(week.pages, 'page')} in all`,
    );
    const teams = Object.entries(week.byTeam);
    if (teams.length > 0) lines.push(`After-hours pages by team: ${teams.map(([team, count]) => `${team} ${count}`).join(', ')}`);
    lines.push(`${people(week.peoplePaged)} paged at night or at the weekend (previous week ${previousWeek.peoplePaged})`);
    if (week.longestRun) {
      lines.push(
        `Longest run for one person: paged ${week.longestRun.stretches} night${week.longestRun.stretches === 1 ? '' : 's'} or weekends in a row (${plural(week.longestRun.pages, 'page')})`,
      );
    }
  }
  const h = m.hiring.week;
  if (!m.data.hiringRecorded) {
    lines.push('Hiring: no applicant-tracking event recorded: connect Greenhouse, Lever or Ashby (POST /webhooks/greenhouse, /lever or /ashby)');
    return lines;
  }
  const p = m.hiring.previousWeek;
  lines.push(
    `Hiring: ${plural(h.offersMade, 'offer')} made, ${plural(h.hires, 'hire')} this week (previous week ${plural(p.offersMade, 'offer')}, ${plural(p.hires, 'hire')})`,
  );
  lines.push(
    h.bottleneck
      ? `Candidates wait longest in ${h.bottleneck.stage}: mean ${formatDuration(h.bottleneck.meanTimeInStageMs)} (${plural(h.bottleneck.samples, 'candidate')})`
      : 'Where candidates wait longest: not enough data (a stage needs at least 2 candidates who moved on this week)',
  );
  return lines;
}

/* ---- Decisions and asks ---- */

function decisionLines(m: WeeklyMetrics): string[] {
  const d = m.decisions;
  const lines: string[] = [];
  const outcomes = (['approved', 'rejected', 'expired', 'cancelled'] as const).filter((s) => (d.decided[s] ?? 0) > 0).map((s) => `${d.decided[s]} ${s}`);
  lines.push(
    `${plural(d.decidedCount, 'approval')} decided this week${outcomes.length > 0 ? ` (${outcomes.join(', ')})` : ''}; previous week ${d.previousDecidedCount}`,
  );
  lines.push(d.pending.length === 0 ? 'No approvals waiting' : `${plural(d.pending.length, 'approval')} waiting`);
  for (const p of d.pending.slice(0, MAX_LISTED)) lines.push(`Waiting: ${p.subject} (${p.kind}), for ${formatDuration(p.waitingMs)}`);
  if (d.pending.length > MAX_LISTED) lines.push(`and ${d.pending.length - MAX_LISTED} more waiting`);
  lines.push(`${plural(d.escalations, 'escalation')} to the VP this week (previous week ${d.previousEscalations})`);
  if (!d.askKindsConfigured) {
    lines.push('Asks of the E-staff: none computed: name the approval kinds decided outside engineering in WEEKLY_ASK_KINDS (e.g. "budget request")');
  } else if (d.asks.length === 0) {
    lines.push('Asks of the E-staff: none; no decision is waiting outside engineering');
  } else {
    for (const ask of d.asks.slice(0, MAX_LISTED))
      lines.push(`Ask of the E-staff: a decision on ${ask.subject} (${ask.kind}), waiting ${formatDuration(ask.waitingMs)}`);
  }
  return lines;
}

/* ---- Wins ---- */

function winLines(m: WeeklyMetrics): string[] {
  const w = m.wins;
  const lines: string[] = [];
  for (const incident of w.resolvedIncidents.slice(0, MAX_LISTED)) {
    const thanks = incident.responders.length > 0 ? `: thank you ${listOf(incident.responders)}` : '';
    lines.push(`Resolved ${incident.key} ${incident.title}${thanks}`);
  }
  if (w.resolvedIncidents.length > MAX_LISTED) lines.push(`and ${plural(w.resolvedIncidents.length - MAX_LISTED, 'more incident')} resolved`);
  if (w.hires.length > 0) lines.push(hiresLine(w.hires));
  for (const milestone of w.milestones.slice(0, MAX_LISTED)) lines.push(`Milestone: ${milestone.key} ${milestone.title}`);
  if (lines.length === 0) lines.push('No resolved incidents, hires or completed epics this week');
  return lines;
}

function listOf(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
}

function people(count: number): string {
  return `${count} ${count === 1 ? 'person' : 'people'}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
