import type { DigestSettings } from '../digest/digest-config';
import type { Window } from '../digest/digest-input';
import { metricLines, type DigestLines } from '../digest/metric-lines';
import { computeDigestMetrics, type DigestInput, type DigestMetrics } from '../digest/metrics';
import { zonedMonth, zonedTimeToUtc, zonedParts } from '../digest/zoned-time';
import { type DigestReadStore, readDigestInput } from '../digest/read-digest-input';
import type { ApprovalStore } from '../ports/approval-store';
import type { DigestStore } from '../ports/digest-store';
import type { IncidentStore } from '../ports/store';

/** Everything the answer tools read: the digest's reads plus one incident and the latest digest. Nothing here writes. */
export type AskStore = DigestReadStore & Pick<IncidentStore, 'loadIncident'> & Pick<DigestStore, 'latestDigest' | 'getDigest'>;

export interface AskReadDeps {
  store: AskStore;
  approvals: Pick<ApprovalStore, 'pending'>;
  config: DigestSettings;
}

/** The periods a question can be about; each maps to a digest-style window in the digest's time zone. */
export const PERIOD_NAMES = ['last_24_hours', 'last_7_days', 'this_week', 'this_month', 'last_month', 'last_30_days'] as const;
export type PeriodName = (typeof PERIOD_NAMES)[number];

export interface PeriodWindow {
  name: PeriodName;
  /** `this month (1 Dec 00:00 – now, America/New_York)`: said in every answer about it. */
  label: string;
  period: Window;
  previousPeriod: Window;
  /** The instant "now" stands for: the end of a past period, so its month and "open" are as they were then. */
  now: Date;
}

const DAY_MS = 86_400_000;

/** The window of a named period at `now`; the previous period is the same length just before it. */
export function periodWindow(name: PeriodName, now: Date, timeZone: string): PeriodWindow {
  const back = (ms: number) => new Date(now.getTime() - ms);
  let from: Date;
  let to = now;
  let label: string;
  switch (name) {
    case 'last_24_hours':
      from = back(DAY_MS);
      label = 'the last 24 hours';
      break;
    case 'last_7_days':
      from = back(7 * DAY_MS);
      label = 'the last 7 days';
      break;
    case 'last_30_days':
      from = back(30 * DAY_MS);
      label = 'the last 30 days';
      break;
    case 'this_week': {
      // Monday 00:00 in the digest's time zone.
      const p = zonedParts(now, timeZone);
      const sinceMonday = (['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(p.weekday) + 7) % 7;
      const monday = new Date(Date.UTC(p.year, p.month - 1, p.day - sinceMonday));
      from = zonedTimeToUtc(monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate(), 0, 0, timeZone);
      label = 'this week so far';
      break;
    }
    case 'this_month':
      from = zonedMonth(now, timeZone).start;
      label = 'this month so far';
      break;
    case 'last_month': {
      const thisMonth = zonedMonth(now, timeZone).start;
      from = zonedMonth(new Date(thisMonth.getTime() - 1), timeZone).start;
      to = thisMonth;
      label = 'last month';
      break;
    }
  }
  const length = Math.max(1, to.getTime() - from.getTime());
  // A past period is measured as of its last instant: its own calendar month, not this one.
  const asOf = to.getTime() < now.getTime() ? new Date(to.getTime() - 1) : now;
  return { name, label, period: { from, to }, previousPeriod: { from: new Date(from.getTime() - length), to: from }, now: asOf };
}

/** The digest's input, metrics and lines for one window: the figures an answer quotes are exactly the digest's. */
export interface DigestView {
  window: PeriodWindow;
  input: DigestInput;
  metrics: DigestMetrics;
  lines: DigestLines;
}

/**
 * Reads each period at most once per question: several tools asking about the same period
 * (incidents, approvals, availability for "what needs me") share one read.
 */
export class AskReads {
  private readonly views = new Map<PeriodName, Promise<DigestView>>();

  constructor(
    readonly deps: AskReadDeps,
    readonly now: Date,
    /** Whether hiring details (candidates named in offer approvals) may be shown: a hiring viewer in a direct message. */
    readonly hiringAllowed = false,
  ) {}

  view(name: PeriodName): Promise<DigestView> {
    let view = this.views.get(name);
    if (!view) {
      view = this.read(name);
      this.views.set(name, view);
    }
    return view;
  }

  private async read(name: PeriodName): Promise<DigestView> {
    const window = periodWindow(name, this.now, this.deps.config.timeZone);
    const { input } = await readDigestInput(this.deps.store, this.deps.approvals, window, this.deps.config);
    const metrics = computeDigestMetrics(input);
    return { window, input, metrics, lines: metricLines(metrics, input) };
  }
}
