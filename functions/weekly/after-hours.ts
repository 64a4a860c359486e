import { classifyInstant, offHoursStretch, type WorkingHours } from './working-hours';

/*
 * The load incidents put on people outside working hours. A page is one person being made
 * responsible for an incident: each assignee of a PagerDuty `incident.triggered`,
 * `incident.escalated` or `incident.reassigned` event, at the event's time. Definitions (also
 * in the README):
 * - after hours: outside WORKING_HOURS in the digest's time zone; "night" on a working day,
 *   "weekend" on a day off;
 * - per team: the incident's PagerDuty team (its first), else its service, else "no team";
 * - people: distinct people (PagerDuty user id, else name) with at least one after-hours page;
 * - longest run: for one person, the most consecutive off-hours stretches (a night, or a whole
 *   weekend) in which they were paged at least once; the person is never named.
 */

export interface Page {
  /** PagerDuty user id when known, else the name: who, for counting only. */
  person: string;
  team: string;
  at: string;
  incident: string;
}

export interface AfterHoursMetrics {
  pages: number;
  afterHoursPages: number;
  nightPages: number;
  weekendPages: number;
  /** After-hours pages per team, teams in name order. */
  byTeam: Record<string, number>;
  /** Distinct people paged at night or at the weekend. */
  peoplePaged: number;
  /** The longest run of consecutive off-hours stretches one person was paged in, and the pages in it; null when none. */
  longestRun: { stretches: number; pages: number } | null;
}

/** After-hours figures for pages in [from, to). */
export function afterHours(pages: readonly Page[], window: { from: Date; to: Date }, hours: WorkingHours): AfterHoursMetrics {
  const inWindow = pages.filter((page) => {
    const at = Date.parse(page.at);
    return at >= window.from.getTime() && at < window.to.getTime();
  });
  const byTeam: Record<string, number> = {};
  const people = new Set<string>();
  const stretches = new Map<string, Map<number, number>>();
  let night = 0;
  let weekend = 0;
  for (const page of [...inWindow].sort((a, b) => a.at.localeCompare(b.at))) {
    const at = new Date(page.at);
    const when = classifyInstant(at, hours);
    if (when === 'working') continue;
    if (when === 'night') night += 1;
    else weekend += 1;
    byTeam[page.team] = (byTeam[page.team] ?? 0) + 1;
    people.add(page.person);
    const { index } = offHoursStretch(at, hours);
    const own = stretches.get(page.person) ?? new Map<number, number>();
    own.set(index, (own.get(index) ?? 0) + 1);
    stretches.set(page.person, own);
  }
  let longestRun: AfterHoursMetrics['longestRun'] = null;
  for (const own of stretches.values()) {
    const indexes = [...own.keys()].sort((a, b) => a - b);
    let runStart = 0;
    for (let i = 0; i < indexes.length; i += 1) {
      if (i > 0 && indexes[i] !== (indexes[i - 1] ?? 0) + 1) runStart = i;
      const run = indexes.slice(runStart, i + 1);
      const count = run.reduce((sum, index) => sum + (own.get(index) ?? 0), 0);
      if (!longestRun || run.length > longestRun.stretches || (run.length === longestRun.stretches && count > longestRun.pages)) {
        longestRun = { stretches: run.length, pages: count };
      }
    }
  }
  return {
    pages: inWindow.length,
    afterHoursPages: night + weekend,
    nightPages: night,
    weekendPages: weekend,
    byTeam: Object.fromEntries(Object.entries(byTeam).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    peoplePaged: people.size,
    longestRun,
  };
}
