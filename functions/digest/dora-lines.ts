import { formatDuration } from '../core/durations';
import type { DoraMetrics, DoraTier } from './dora';
import { formatChange, plural } from './line-format';

/*
 * The DORA lines of the digest (and of the local inbox's panel), written by code from
 * DoraMetrics: every figure a writer may narrate is here. Rates are whole percent rounded half
 * up; per-day frequency one decimal; durations in formatDuration's format.
 */

const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'] as const;
/** Shown for a week with nothing to measure (no lead-time sample). */
const NO_VALUE_BAR = '·';

/**
 * A compact trend: the smallest bar is zero, the tallest the series' maximum, and any value
 * above zero gets at least the second bar, so "some" never looks like "none".
 */
export function sparkline(values: readonly (number | null)[]): string {
  const max = Math.max(0, ...values.filter((v): v is number => v !== null));
  return values
    .map((v) => {
      if (v === null) return NO_VALUE_BAR;
      if (v <= 0 || max <= 0) return BARS[0];
      return BARS[Math.min(BARS.length - 1, 1 + Math.floor((v / max) * (BARS.length - 1.0001)))];
    })
    .join('');
}

const TIER_NOTE: Record<string, Record<DoraTier, string>> = {
  frequency: { elite: 'daily or more', high: 'between daily and weekly', medium: 'between weekly and monthly', low: 'less than monthly' },
  leadTime: { elite: 'under a day', high: 'a day to a week', medium: 'a week to a month', low: 'over a month' },
  changeFailure: { elite: 'at most 5%', medium: 'at most 10%', high: 'at most 20%', low: 'over 20%' },
  recovery: { elite: 'under an hour', high: 'under a day', medium: 'under a week', low: 'a week or more' },
};

function tier(kind: keyof typeof TIER_NOTE, value: DoraTier): string {
  return `DORA ${value} (${TIER_NOTE[kind]?.[value] ?? ''})`;
}

/** The DORA lines; `attributionWindowHours` is the configured change-failure window. */
export function doraLines(m: DoraMetrics, attributionWindowHours: number): string[] {
  if (!m.anyDeploymentRecorded) {
    return [
      'DORA metrics: not enough data (no production deployment recorded: send GitHub deployment_status webhooks to POST /webhooks/github, and name production environments in DORA_PRODUCTION_ENVIRONMENTS if they are not called production or prod)',
    ];
  }
  const lines: string[] = [];
  const previous =
    m.frequencyChangeRatio === null
      ? `previous period ${m.previousDeployments}`
      : `previous period ${m.previousDeployments}, ${formatChange(m.frequencyChangeRatio)}`;
  const attempts = m.failedAttempts > 0 ? `; ${plural(m.failedAttempts, 'failed deployment attempt')} (not deployed, not in the failure rate)` : '';
  lines.push(
    `Deployment frequency: ${plural(m.deployments, 'production deployment')} in the period (${m.perDay.toFixed(1)} a day; ${previous}), ${m.lastSevenDays} in the last 7 days, ${m.lastTwentyEightDays} in the last 28: ${tier('frequency', m.frequencyTier)}${attempts}`,
  );

  if (m.leadTimeMedianMs !== null && m.leadTimeP85Ms !== null && m.leadTimeTier !== null) {
    const start =
      m.leadTimeFromOpened === m.leadTimeSamples
        ? 'from opening, first commits unknown'
        : m.leadTimeFromOpened > 0
          ? `${m.leadTimeFromOpened} from opening, first commit unknown`
          : 'from first commit';
    lines.push(
      `Change lead time: median ${formatDuration(m.leadTimeMedianMs)}, 85th percentile ${formatDuration(m.leadTimeP85Ms)} over ${plural(m.leadTimeSamples, 'merged pull request')} (${start}): ${tier('leadTime', m.leadTimeTier)}`,
    );
  } else {
    lines.push('Change lead time: not enough data (no merged pull request reached production in the period)');
  }

  if (m.changeFailureRate !== null && m.changeFailureTier !== null) {
    lines.push(
      `Change failure rate: ${Math.round(m.changeFailureRate * 100)}% (${m.failedDeployments} of ${m.deployments}): ${tier('changeFailure', m.changeFailureTier)}; a failure is a P1 or P2 on a linked service within ${attributionWindowHours} h of a deployment and before the next one`,
    );
  } else {
    lines.push('Change failure rate: not enough data (no production deployment in the period)');
  }

  if (m.recoveryMedianMs !== null && m.recoveryTier !== null) {
    const open = m.unrecovered > 0 ? `; ${m.unrecovered} still unresolved` : '';
    lines.push(
      `Failed deployment recovery time: median ${formatDuration(m.recoveryMedianMs)} over ${plural(m.recoverySamples, 'failed deployment')}${open}: ${tier('recovery', m.recoveryTier)}`,
    );
  } else if (m.unrecovered > 0) {
    lines.push(`Failed deployment recovery time: not enough data (the incident after ${plural(m.unrecovered, 'failed deployment')} is still unresolved)`);
  } else if (m.deployments > 0) {
    lines.push('Failed deployment recovery time: no failed deployment in the period');
  }

  const counts = m.weeks.map((w) => w.deployments);
  lines.push(`Deployments per week, last ${m.weeks.length} weeks: ${sparkline(counts)} ${counts.join(', ')}`);
  const leads = m.weeks.map((w) => w.leadTimeMedianMs);
  if (leads.some((v) => v !== null)) {
    lines.push(
      `Lead time per week (median), last ${m.weeks.length} weeks: ${sparkline(leads)} ${leads.map((v) => (v === null ? '–' : formatDuration(v))).join(', ')}`,
    );
  }
  return lines;
}
