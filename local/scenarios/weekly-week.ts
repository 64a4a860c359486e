import { randomUUID } from 'node:crypto';
import { zonedParts, zonedTimeToUtc } from '../../functions/digest/zoned-time';
import type { ScenarioDelivery } from './signers';

/*
 * A week of work for the weekly update, dated back from `now` in New York time (the default
 * digest zone) so the counts do not depend on the day the demo runs:
 * - Jira: 10 issues completed this week and 4 the week before, with types and labels;
 * - PagerDuty: three P3 pages at 02:00 on the three latest working days (Platform, one person,
 *   the third also escalated to a second person), one P3 page on Saturday at 11:00 (Search),
 *   and a P2 on Checkout API at 11:00 on a working day at least a day ago (Payments, in hours);
 * - GitHub: a fix deployed to checkout-api during that open P2, a revert deployed three hours
 *   later, and a search-api deployment during the Saturday P3 (not rework: P3).
 * WEEKLY_HAND_COUNT says what the weekly update must show for these alone.
 */

export const WEEKLY_HAND_COUNT = {
  completed: 10,
  previousCompleted: 4,
  /** Default INVESTMENT_CATEGORIES: shares of this week's 10, and of last week's 4. */
  shares: {
    feature: '40% (4 of 10',
    'tech debt': '20% (2 of 10',
    'keep the lights on': '20% (2 of 10',
    'unplanned / incident follow-up': '10% (1 of 10',
    uncategorised: '10% (1 of 10',
  },
  previousShares: { feature: '50%', 'tech debt': '25%', 'keep the lights on': '25%', 'unplanned / incident follow-up': '0%' },
  /** Production deployments this scenario adds, and how many are rework (the fix during the P2, the revert). */
  deployments: 3,
  rework: 2,
  /** After-hours pages per team this scenario adds: Platform 4 at night, Search 1 at the weekend; 3 people; Alex 3 nights in a row. */
  afterHoursByTeam: { Platform: 4, Search: 1 },
  people: 3,
  longestRun: { nights: 3, pages: 3 },
} as const;

const ZONE = 'America/New_York';
const HOUR = 3_600_000;

/** Wall-clock `hour:00` in New York on the day `daysBack` days before `now`'s local day. */
function localAt(now: Date, daysBack: number, hour: number, minute = 0): Date {
  const p = zonedParts(now, ZONE);
  return zonedTimeToUtc(p.year, p.month, p.day - daysBack, hour, minute, ZONE);
}

const weekday = (at: Date) => zonedParts(at, ZONE).weekday;
const isWorkingDay = (at: Date) => !['Sat', 'Sun'].includes(weekday(at));

/** The latest `count` instants at `hour`:`minute` local, on days matching `keep`, at least `gapMs` before now. */
function latest(now: Date, count: number, hour: number, keep: (at: Date) => boolean, gapMs: number): Date[] {
  const found: Date[] = [];
  for (let back = 0; back <= 8 && found.length < count; back += 1) {
    const at = localAt(now, back, hour);
    if (keep(at) && at.getTime() <= now.getTime() - gapMs) found.push(at);
  }
  return found;
}

export function weeklyWeekScenario(now = new Date()): ScenarioDelivery[] {
  const run = randomUUID().replace(/-/g, '').slice(0, 8);
  const digits = Number.parseInt(run.slice(0, 6), 16) % 900_000;
  const deliveries: ScenarioDelivery[] = [];

  // Jira completions: a transition into Done, with the issue's type, labels and resolution.
  let issue = 0;
  const done = (key: string, type: string, labels: string[], at: Date, summary: string) => {
    issue += 1;
    deliveries.push({
      source: 'jira',
      deliveryId: `jira-week-${run}-${issue}`,
      body: JSON.stringify({
        timestamp: at.getTime(),
        webhookEvent: 'jira:issue_updated',
        issue_event_type_name: 'issue_generic',
        user: { accountId: 'acc-lee', displayName: 'Lee Park' },
        issue: {
          id: String(700_000 + digits * 20 + issue),
          self: 'https://acme.atlassian.net/rest/api/2/issue/1',
          key,
          fields: {
            summary,
            issuetype: { name: type },
            project: { key: key.split('-')[0], name: 'Engineering' },
            status: { name: 'Done', statusCategory: { name: 'Done' } },
            resolution: { name: 'Done' },
            resolutiondate: at.toISOString(),
            labels,
            assignee: { accountId: 'acc-lee', displayName: 'Lee Park' },
          },
        },
        changelog: { id: `${digits}${issue}`, items: [{ field: 'status', fieldtype: 'jira', fromString: 'In Review', toString: 'Done' }] },
      }),
    });
  };
  const thisWeek = (i: number) => new Date(now.getTime() - (i * 12 + 1) * HOUR);
  done('WEB-100', 'Epic', [], thisWeek(0), 'Saved cards for returning customers');
  done('WEB-101', 'Story', ['checkout'], thisWeek(1), 'Show saved cards at checkout');
  done('WEB-102', 'Story', [], thisWeek(2), 'Let customers delete a saved card');
  done('WEB-103', 'Story', [], thisWeek(3), 'Remember the last card used');
  done('PLAT-201', 'Task', ['tech-debt'], thisWeek(4), 'Remove the old session store');
  done('PLAT-202', 'Story', ['tech-debt'], thisWeek(5), 'Move billing jobs off cron boxes');
  done('OPS-301', 'Bug', [], thisWeek(6), 'Fix flaky export retry');
  done('OPS-302', 'Bug', [], thisWeek(7), 'Correct currency rounding in receipts');
  done('PAY-401', 'Bug', ['incident'], thisWeek(8), 'Follow-up: alert on tax lookup latency');
  done('PLAT-203', 'Task', [], thisWeek(9), 'Rotate build runners');
  const lastWeek = (i: number) => new Date(now.getTime() - (8 * 24 + i * 12) * HOUR);
  done('WEB-90', 'Story', [], lastWeek(0), 'Card brand icons');
  done('WEB-91', 'Story', [], lastWeek(1), 'Faster address lookup');
  done('OPS-290', 'Bug', [], lastWeek(2), 'Fix timezone in invoices');
  done('PLAT-190', 'Task', ['tech-debt'], lastWeek(3), 'Drop Node 18 images');

  // PagerDuty: incidents with their pages (triggered, escalated) and resolution.
  const user = (id: string, name: string) => ({ id, type: 'user_reference', summary: name });
  let incidentCount = 0;
  const incident = (options: {
    number: number;
    title: string;
    service: string;
    team: string;
    priority: string;
    at: Date;
    pages: [number, ReturnType<typeof user>][];
    resolvedAfterMin: number;
  }) => {
    incidentCount += 1;
    const id = `QW${run.toUpperCase()}${incidentCount}`;
    const data = (status: string, assignee: ReturnType<typeof user>) => ({
      id,
      type: 'incident',
      html_url: `https://acme.pagerduty.com/incidents/${id}`,
      number: options.number,
      status,
      created_at: options.at.toISOString(),
      title: options.title,
      service: { id: `PS${options.service.replace(/\W/g, '').toUpperCase()}`, type: 'service_reference', summary: options.service },
      assignees: [assignee],
      teams: [{ id: `PT${options.team.toUpperCase()}`, type: 'team_reference', summary: options.team }],
      priority: { id: `PRI${options.priority}`, type: 'priority_reference', summary: options.priority },
      urgency: options.priority === 'P3' ? 'low' : 'high',
    });
    const events: [string, number, ReturnType<typeof user>][] = options.pages.map(([minutes, who], index) => [
      index === 0 ? 'incident.triggered' : 'incident.escalated',
      minutes,
      who,
    ]);
    const last = options.pages.at(-1)?.[1] ?? user('PUNOBODY', 'Nobody');
    events.push(['incident.acknowledged', (options.pages.at(-1)?.[0] ?? 0) + 2, last]);
    events.push(['incident.resolved', options.resolvedAfterMin, last]);
    events.forEach(([type, minutes, who], index) => {
      const status = type === 'incident.resolved' ? 'resolved' : type === 'incident.acknowledged' ? 'acknowledged' : 'triggered';
      deliveries.push({
        source: 'pagerduty',
        deliveryId: `${id}-delivery-${index + 1}`,
        body: JSON.stringify({
          event: {
            id: `${id}-event-${index + 1}`,
            event_type: type,
            resource_type: 'incident',
            occurred_at: new Date(options.at.getTime() + minutes * 60_000).toISOString(),
            agent: type === 'incident.triggered' ? null : who,
            data: data(status, who),
          },
        }),
      });
    });
  };
  const alex = user('PUALEXN', 'Alex Novak');
  const jordan = user('PUJORDAN', 'Jordan Ellis');
  const riley = user('PURILEY', 'Riley Chen');
  const priya = user('PU1PRIYA', 'Priya Raman');
  const nights = latest(now, 3, 2, isWorkingDay, HOUR).reverse();
  nights.forEach((at, index) => {
    const pages: [number, ReturnType<typeof user>][] =
      index === 2
        ? [
            [0, alex],
            [10, jordan],
          ]
        : [[0, alex]];
    incident({
      number: 5101 + index,
      title: 'Nightly data export stalled',
      service: 'Data Export',
      team: 'Platform',
      priority: 'P3',
      at,
      pages,
      resolvedAfterMin: 40,
    });
  });
  const [saturday] = latest(now, 1, 11, (at) => weekday(at) === 'Sat', HOUR);
  if (saturday)
    incident({
      number: 5104,
      title: 'Search index lagging behind writes',
      service: 'Search API',
      team: 'Search',
      priority: 'P3',
      at: saturday,
      pages: [[0, riley]],
      resolvedAfterMin: 30,
    });
  const [workday] = latest(now, 1, 11, isWorkingDay, 24 * HOUR);
  if (workday)
    incident({
      number: 5105,
      title: 'Checkout tax lookup errors for some EU customers',
      service: 'Checkout API',
      team: 'Payments',
      priority: 'P2',
      at: workday,
      pages: [[0, priya]],
      resolvedAfterMin: 50,
    });

  // GitHub: a fix during the P2, a revert three hours later, a search deployment during the P3.
  let sequence = 0;
  const github = (event: string, body: unknown) => {
    sequence += 1;
    deliveries.push({ source: 'github', event, deliveryId: `github-week-${run}-${sequence}`, body: JSON.stringify(body) });
  };
  const repo = (fullName: string) => ({
    id: 700000002,
    name: fullName.split('/')[1],
    full_name: fullName,
    private: true,
    owner: { login: 'acme', type: 'Organization' },
    html_url: `https://github.com/${fullName}`,
  });
  const bot = { login: 'github-actions[bot]', type: 'Bot' };
  const merged = (fullName: string, number: number, title: string, branch: string, at: Date) =>
    github('pull_request', {
      action: 'closed',
      number,
      pull_request: {
        id: 4400000 + digits * 10 + number,
        number,
        html_url: `https://github.com/${fullName}/pull/${number}`,
        title,
        head: { ref: branch },
        user: { login: 'dev-ada-fake', type: 'User' },
        created_at: new Date(at.getTime() - 2 * HOUR).toISOString(),
        merged: true,
        merged_at: at.toISOString(),
        base: { ref: 'main', repo: repo(fullName) },
      },
      repository: repo(fullName),
      sender: bot,
    });
  const deployed = (fullName: string, n: number, ref: string, at: Date) => {
    const id = 900_000_000 + digits * 10 + n;
    github('deployment_status', {
      action: 'created',
      deployment_status: { id: id * 10, state: 'success', environment: 'production', creator: bot, created_at: at.toISOString() },
      deployment: {
        id,
        environment: 'production',
        production_environment: true,
        ref,
        sha: `${id}${'a'.repeat(31)}`,
        creator: bot,
        created_at: at.toISOString(),
      },
      repository: repo(fullName),
      sender: bot,
    });
  };
  if (workday) {
    const minutes = (m: number) => new Date(workday.getTime() + m * 60_000);
    merged('acme/checkout-api', 140, 'Fix tax lookup timeout for EU VAT numbers', 'fix-tax-timeout', minutes(15));
    deployed('acme/checkout-api', 1, 'main', minutes(20));
    merged('acme/checkout-api', 141, 'Revert "Cache tax rates per region for an hour"', 'revert-141-tax-cache', minutes(170));
    deployed('acme/checkout-api', 2, 'main', minutes(180));
  }
  if (saturday) deployed('acme/search-api', 3, 'main', new Date(saturday.getTime() + 10 * 60_000));
  return deliveries;
}
