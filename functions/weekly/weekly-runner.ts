import type { Link } from '../core/canonical-event';
import { digestPeriod } from '../digest/period';
import { doraReadFrom } from '../digest/dora';
import { documentId } from '../core/document-id';
import type { ApprovalStore } from '../ports/approval-store';
import type { ChangeStore } from '../ports/change-store';
import type { Clock } from '../ports/clock';
import type { DigestStore } from '../ports/digest-store';
import type { Outbox } from '../ports/outbox';
import type { IncidentStore } from '../ports/store';
import type { WeeklyStore } from '../ports/weekly-store';
import type { Writer } from '../ports/writer';
import type { WriteClaims } from '../ports/write-claims';
import { writeOnce, writingDeps } from '../outbox/write-once';
import { renderDocument } from '../slack/outbound/render-document';
import { toMarkdown } from './markdown';
import type { WeeklyConfig } from './weekly-config';
import { weeklyLines } from './weekly-lines';
import { computeWeeklyMetrics, type WeeklyMetrics, weeklyReadWindow } from './weekly-metrics';

export interface WeeklyDeps {
  store: Pick<DigestStore, 'readTimeWindow'> & Pick<IncidentStore, 'openIncidents'> & Pick<ChangeStore, 'readChangeWindow'>;
  weekly: WeeklyStore;
  approvals: Pick<ApprovalStore, 'pending'>;
  writer: Writer;
  outbox: Outbox;
  /** The write-once claims: the writer (and so the model) is called once per update, whatever runs race. */
  claims: WriteClaims;
  clock: Clock;
  config: WeeklyConfig;
  leaseMs?: number;
}

export interface WeeklyOutcome {
  id: string;
  /** False when this week's update had already been written (a re-fired schedule). */
  posted: boolean;
  itemsRead: number;
}

/** Thrown when another run holds this week's lease; the scheduler retries. */
export class WeeklyInProgressError extends Error {
  override readonly name = 'WeeklyInProgressError';
}

/** A scheduler may fire a moment early by this process's clock: a minute of slack keeps the run in its own week. */
const SCHEDULE_SLACK_MS = 60_000;

/**
 * Writes and posts one weekly update for the seven days to the latest scheduled time (`manual`:
 * to now). The week is claimed before anything is read or written, so a re-fired schedule, a
 * retry or a concurrent run never posts twice or pays for a second model call.
 */
export async function runWeekly(deps: WeeklyDeps, options: { manual?: boolean } = {}): Promise<WeeklyOutcome> {
  const now = deps.clock.now();
  const scheduled = options.manual
    ? undefined
    : digestPeriod({ now: new Date(now.getTime() + SCHEDULE_SLACK_MS), cron: deps.config.cron, timeZone: deps.config.timeZone });
  const to = scheduled ? scheduled.to : now;
  const id = scheduled ? `week-${scheduled.key}` : `manual-${now.toISOString()}`;

  const claim = await deps.weekly.claimWeekly(id, now, deps.leaseMs ?? 120_000);
  if (claim === 'already-posted') return { id, posted: false, itemsRead: 0 };
  if (claim === 'held-by-another') throw new WeeklyInProgressError(`Weekly update ${id} is being written by another run`);

  const window = weeklyReadWindow(to, deps.config.digest.timeZone);
  const week = { from: new Date(to.getTime() - 7 * 86_400_000), to };
  const previousWeek = { from: new Date(to.getTime() - 14 * 86_400_000), to: week.from };
  const [read, changes, openIncidents, pendingApprovals] = await Promise.all([
    deps.store.readTimeWindow(window.from, to),
    deps.store.readChangeWindow(doraReadFrom(week, previousWeek), to),
    deps.store.openIncidents(),
    deps.approvals.pending(),
  ]);
  const metrics = computeWeeklyMetrics({ items: read.items, changes: changes.items, openIncidents, pendingApprovals }, to, deps.config);
  const facts = weeklyLines(metrics, deps.config.digest.timeZone);
  // One writer call per update, under the write-once claim of its outbox id: a run that died after
  // writing finds the update in the outbox and pays for no second model call.
  const outboxId = documentId('weekly', id);
  const sent = await writeOnce(writingDeps(deps), {
    id: outboxId,
    write: () => deps.writer.write({ kind: 'weekly', facts, untrusted: {}, links: provenance(metrics, read.items) }),
    send: (document) => deps.outbox.send({ id: outboxId, kind: 'weekly', channel: deps.config.channel, ...renderDocument(document), document }),
  });
  const written = sent.document;
  if (!written) throw new Error(`The outbox record ${outboxId} carries no document`);
  await deps.weekly.saveWeekly({
    id,
    period: metrics.week,
    metrics: JSON.parse(JSON.stringify(metrics)) as unknown,
    document: written,
    markdown: toMarkdown(written, `Weekly engineering update, ${facts.period}`),
    documentId: sent.id,
    ...(sent.message ? { message: sent.message } : {}),
    itemsRead: read.itemsRead + changes.itemsRead,
    writtenAt: deps.clock.now().toISOString(),
  });
  return { id, posted: true, itemsRead: read.itemsRead + changes.itemsRead };
}

/** Links to the customer-affecting incidents of the week, at most five, attached by code. */
function provenance(metrics: WeeklyMetrics, items: Record<string, unknown>[]): Link[] {
  const urls = new Map<string, string>();
  for (const item of items) {
    const event = item.event as { subject?: { key?: string; url?: string } } | undefined;
    if (item.kind === 'incident-event' && event?.subject?.key && event.subject.url) urls.set(event.subject.key, event.subject.url);
  }
  return metrics.reliability.customerIncidents
    .filter((incident) => urls.has(incident.key))
    .slice(0, 5)
    .map((incident) => ({ label: `Incident ${incident.key}`, url: urls.get(incident.key) ?? '' }));
}
