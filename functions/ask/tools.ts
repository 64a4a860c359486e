import * as z from 'zod/mini';
import type { CanonicalEvent, Link } from '../core/canonical-event';
import { safeHttpUrl } from '../core/safe-url';
import { doraLines } from '../digest/dora-lines';
import { formatDuration, formatInstant } from '../core/durations';
import { foldIncident } from '../incidents/incident-state';
import { type AskReads, PERIOD_NAMES, type PeriodName } from './ask-reads';
import { isHiringApproval, UNNAMED_OFFER } from '../approvals/hiring-approval';

/*
 * The read-only tools an answer is built from. Each is a typed query over the store through
 * the digest's own reads and computations, with bounded output: lists stop at MAX_ITEMS and
 * say how many more there are. None writes, approves, posts or runs a free-form query.
 * Durations and percentages come formatted by the digest's code, so the words a reader sees
 * are the digest's.
 */

/** Longest list a tool returns. */
export const MAX_ITEMS = 10;
/** Longest text field a tool returns. */
const MAX_TEXT = 200;
/** Timeline entries returned for one incident. */
const MAX_TIMELINE = 15;

/** What a tool hands back: the data the answer may quote, and links to what it rests on (attached by code). */
export interface ToolOutput {
  result: Record<string, unknown>;
  links: Link[];
}

export interface AskTool {
  name: string;
  description: string;
  /** JSON schema of the input, as the Messages API takes it. */
  inputSchema: Record<string, unknown>;
  /** True for hiring tools: offered only to hiring viewers in a direct message. */
  hiring: boolean;
  run(input: unknown, reads: AskReads): Promise<ToolOutput>;
}

const periodInput = (fallback: PeriodName, allowed: readonly PeriodName[] = PERIOD_NAMES) => ({
  schema: z.object({ period: z._default(z.enum(allowed as [PeriodName, ...PeriodName[]]), fallback) }),
  json: {
    type: 'object',
    properties: { period: { type: 'string', enum: [...allowed], description: `The period asked about; default ${fallback}.` } },
    additionalProperties: false,
  },
});

const clip = (text: string) => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text);

function defineTool<S extends z.core.$ZodType>(tool: {
  name: string;
  description: string;
  input: { schema: S; json: Record<string, unknown> };
  hiring?: boolean;
  run: (input: z.output<S>, reads: AskReads) => Promise<ToolOutput>;
}): AskTool {
  return {
    name: tool.name,
    description: tool.description,
    inputSchema: tool.input.json,
    hiring: tool.hiring ?? false,
    run: async (input, reads) => tool.run(z.parse(tool.input.schema, input ?? {}), reads),
  };
}

const incidentsTool = defineTool({
  name: 'incidents',
  description:
    'Incidents open now (oldest first, with priority, service, how long open and recent timeline) and the incident lines of the digest for a period: counts by priority, mean time to acknowledge, time to resolve.',
  input: periodInput('last_24_hours'),
  run: async ({ period }, reads) => {
    const view = await reads.view(period);
    const open = view.metrics.incidents.open;
    const summaries = new Map(view.input.incidents.map((incident) => [incident.key, incident]));
    return {
      result: {
        period: view.window.label,
        lines: view.lines.incidents,
        openNow: open.length,
        open: open.slice(0, MAX_ITEMS).map((incident) => {
          const summary = summaries.get(incident.key);
          return {
            incident: incident.key,
            title: clip(incident.title),
            priority: incident.priority ?? 'unprioritised',
            service: incident.service,
            openFor: formatDuration(incident.openForMs),
            acknowledged: summary?.acknowledgedAt ? `acknowledged at ${formatInstant(summary.acknowledgedAt)}` : 'not acknowledged',
            responders: summary?.responders ?? [],
          };
        }),
        ...(open.length > MAX_ITEMS ? { moreOpen: open.length - MAX_ITEMS } : {}),
      },
      links: incidentLinks(view.input.incidents.filter((incident) => open.some((o) => o.key === incident.key))),
    };
  },
});

const incidentTool = defineTool({
  name: 'incident',
  description:
    'One incident by its number (for example 4211 or #4211): status, priority, service, who responded, when it was raised, acknowledged and resolved, time to acknowledge and resolve, and its timeline.',
  input: {
    schema: z.object({ number: z.string().check(z.regex(/^#?\d{1,10}$/)) }),
    json: {
      type: 'object',
      properties: { number: { type: 'string', description: 'The incident number, e.g. "4211".' } },
      required: ['number'],
      additionalProperties: false,
    },
  },
  run: async ({ number }, reads) => {
    const key = `#${number.replace(/^#/, '')}`;
    const events = await findIncident(reads, key);
    if (!events) return { result: { incident: key, found: false, note: `No incident ${key} was triggered, resolved or open in the last 30 days.` }, links: [] };
    const state = foldIncident(events);
    const ordered = [...events].sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
    const since = (from?: string, to?: string) => (from && to ? formatDuration(Date.parse(to) - Date.parse(from)) : null);
    return {
      result: {
        incident: state.key ?? key,
        found: true,
        title: clip(state.title),
        status: state.status,
        priority: state.priority ?? 'unprioritised',
        service: state.service ?? null,
        responders: state.assignees,
        raisedAt: state.triggeredAt ? formatInstant(state.triggeredAt) : null,
        acknowledgedAt: state.acknowledgedAt ? formatInstant(state.acknowledgedAt) : null,
        acknowledgedBy: state.acknowledgedBy ?? null,
        resolvedAt: state.resolvedAt ? formatInstant(state.resolvedAt) : null,
        resolvedBy: state.resolvedBy ?? null,
        timeToAcknowledge: since(state.triggeredAt, state.acknowledgedAt),
        timeToResolve: since(state.triggeredAt, state.resolvedAt),
        openFor: state.status === 'resolved' || !state.triggeredAt ? null : formatDuration(reads.now.getTime() - Date.parse(state.triggeredAt)),
        timeline: ordered.slice(-MAX_TIMELINE).map((event) => {
          const who = event.actors.find((actor) => actor.role === 'agent')?.name;
          return `${formatInstant(event.occurredAt)}: ${event.type.replace(/^incident\./, '')}${who ? ` by ${who}` : ''}${event.priority ? ` (${event.priority})` : ''}`;
        }),
      },
      links: state.url ? [{ label: `Incident ${state.key ?? key}`, url: state.url }] : [],
    };
  },
});

const availabilityTool = defineTool({
  name: 'availability',
  description:
    'Availability against the SLO for a calendar month (this month so far, or last month), downtime (time at P1), and the error budget: total, used, left. The same lines as the morning digest.',
  input: periodInput('this_month', ['this_month', 'last_month']),
  run: async ({ period }, reads) => {
    const view = await reads.view(period);
    const a = view.metrics.availability;
    return {
      result: {
        period: view.window.label,
        lines: view.lines.availability.length > 0 ? view.lines.availability : [`No downtime and nothing to report (${view.window.label})`],
        errorBudget: formatDuration(a.errorBudgetMs),
        budgetUsed: formatDuration(a.budgetUsedMs),
        budgetLeft: a.budgetLeftMs >= 0 ? formatDuration(a.budgetLeftMs) : `overspent by ${formatDuration(-a.budgetLeftMs)}`,
      },
      links: [],
    };
  },
});

const doraTool = defineTool({
  name: 'dora',
  description:
    'DORA delivery metrics from GitHub for a period: deployment frequency, change lead time (median and 85th percentile), change failure rate, failed deployment recovery time, each with its DORA level, and the weekly trend of the last 8 weeks (deployments and median lead time per week).',
  input: periodInput('this_month'),
  run: async ({ period }, reads) => {
    const view = await reads.view(period);
    const dora = view.metrics.dora;
    return {
      result: {
        period: view.window.label,
        lines: dora ? doraLines(dora, reads.deps.config.attributionWindowHours) : ['DORA metrics: not enough data (no deployment recorded)'],
        weeks: (dora?.weeks ?? []).map((week) => ({
          weekStarting: formatInstant(week.from.toISOString()),
          deployments: week.deployments,
          medianLeadTime: week.leadTimeMedianMs === null ? null : formatDuration(week.leadTimeMedianMs),
        })),
        otherDeliveryLines: view.lines.delivery.filter(
          (line) =>
            !line.startsWith('Deployment') &&
            !line.startsWith('Change') &&
            !line.startsWith('Failed') &&
            !line.startsWith('Lead time') &&
            !line.startsWith('DORA'),
        ),
      },
      links: [],
    };
  },
});

const approvalsTool = defineTool({
  name: 'approvals',
  description: 'Approvals waiting for a decision now (what, which kind, how long waiting) and those decided in a period, as the digest counts them.',
  input: periodInput('last_7_days'),
  run: async ({ period }, reads) => {
    const view = await reads.view(period);
    const now = view.window.now.getTime();
    // An offer names a candidate: outside a hiring viewer's direct message it is "an offer", nothing more.
    const hidden = reads.hiringAllowed ? [] : view.input.approvals.pending.filter(isHiringApproval).map((p) => p.subject);
    const shown = (subject: string) => (hidden.includes(subject) ? `${UNNAMED_OFFER} (ask in a direct message for details)` : clip(subject));
    const pending = [...view.input.approvals.pending].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
    const decided = view.input.approvals.decidedInPeriod.filter((d) => reads.hiringAllowed || !isHiringApproval(d));
    const lines = view.lines.approvals.map((line) => hidden.reduce((text, subject) => text.split(subject).join(UNNAMED_OFFER), line));
    return {
      result: {
        period: view.window.label,
        lines: lines.length > 0 ? lines : ['No approval is waiting and none was decided in the period'],
        waiting: pending
          .slice(0, MAX_ITEMS)
          .map((p) => ({ subject: shown(p.subject), kind: p.kind, waiting: formatDuration(Math.max(0, now - Date.parse(p.createdAt))) })),
        ...(pending.length > MAX_ITEMS ? { moreWaiting: pending.length - MAX_ITEMS } : {}),
        decided: decided.slice(0, MAX_ITEMS).map((d) => ({ subject: clip(d.subject), kind: d.kind, outcome: d.status, decidedAt: formatInstant(d.decidedAt) })),
      },
      links: [],
    };
  },
});

const hiringTool = defineTool({
  name: 'hiring',
  description:
    'Hiring pipeline for a period: stage moves by stage, new applications, rejections, offers made, accepted and declined, hires, the bottleneck stage, mean time in each stage, and the applications that have been longest in their current stage. Applications are named by job and id only; no contact details exist here.',
  input: periodInput('last_30_days'),
  hiring: true,
  run: async ({ period }, reads) => {
    const view = await reads.view(period);
    const now = view.window.now.getTime();
    const latest = new Map<string, (typeof view.input.hiring)[number]>();
    for (const move of view.input.hiring) {
      const known = latest.get(move.applicationId);
      if (!known || Date.parse(move.at) > Date.parse(known.at)) latest.set(move.applicationId, move);
    }
    const inStage = [...latest.values()]
      .filter((move) => move.toStage && move.type !== 'candidate.hired' && move.type !== 'candidate.rejected')
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    return {
      result: {
        period: view.window.label,
        lines: view.lines.hiring.length > 0 ? view.lines.hiring : ['No hiring moves in the period'],
        meanTimeInStage: Object.fromEntries(Object.entries(view.metrics.hiring.timeInStageMs).map(([stage, ms]) => [stage, formatDuration(ms)])),
        longestInStage: inStage.slice(0, MAX_ITEMS).map((move) => ({
          application: move.applicationId,
          job: move.job,
          stage: move.toStage,
          inStageFor: formatDuration(Math.max(0, now - Date.parse(move.at))),
        })),
      },
      links: [],
    };
  },
});

const latestDigestTool = defineTool({
  name: 'latest_digest',
  description: 'The most recent morning digest as posted: its period and every section.',
  input: { schema: z.object({}), json: { type: 'object', properties: {}, additionalProperties: false } },
  run: async (_input, reads) => {
    const pointer = await reads.deps.store.latestDigest();
    const digest = pointer ? await reads.deps.store.getDigest(pointer.id) : undefined;
    if (!digest) return { result: { found: false, note: 'No digest has been written yet.' }, links: [] };
    return {
      result: {
        found: true,
        period: `${formatInstant(digest.period.from)} to ${formatInstant(digest.period.to)}`,
        headline: digest.document.headline,
        sections: digest.document.sections.map((section) => ({ heading: section.heading, body: section.body.slice(0, 1500) })),
      },
      links: digest.document.links.slice(0, 5),
    };
  },
});

/** Every tool, in the order the model sees them. */
export const ASK_TOOLS: readonly AskTool[] = [incidentsTool, incidentTool, availabilityTool, doraTool, approvalsTool, hiringTool, latestDigestTool];

export function findTool(name: string): AskTool | undefined {
  return ASK_TOOLS.find((tool) => tool.name === name);
}

/** An incident's events by its number: the open ones first, then the last 30 days of the time index. */
async function findIncident(reads: AskReads, key: string): Promise<CanonicalEvent[] | undefined> {
  const { store } = reads.deps;
  for (const open of await store.openIncidents()) {
    const events = (await store.loadIncident(open.key)).timeline.map((entry) => entry.event);
    if (events.some((event) => event.subject.key === key)) return events;
  }
  // One bounded read of the time index (30 day buckets), never a scan.
  const items = await store.readTimeWindow(new Date(reads.now.getTime() - 30 * 86_400_000), reads.now);
  const item = items.items.find((i) => i.kind === 'incident-event' && (i.event as CanonicalEvent).subject.key === key);
  if (!item) return undefined;
  return (await store.loadIncident(String(item.pk).replace(/^INCIDENT#/, ''))).timeline.map((entry) => entry.event);
}

/** Offers (and anything else opened by an applicant-tracking stage) concern a candidate. */
function incidentLinks(incidents: readonly { key: string; url?: string }[]): Link[] {
  return incidents
    .map((incident) => ({ label: `Incident ${incident.key}`, url: safeHttpUrl(incident.url) ?? '' }))
    .filter((link) => link.url !== '')
    .slice(0, 5);
}
