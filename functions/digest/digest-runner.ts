import { renderDocument } from '../slack/outbound/render-document';
import type { ApprovalStore } from '../ports/approval-store';
import { documentId } from '../core/document-id';
import type { Outbox } from '../ports/outbox';
import type { Clock } from '../ports/clock';
import type { ChangeStore } from '../ports/change-store';
import type { DigestStore } from '../ports/digest-store';
import type { IncidentStore } from '../ports/store';
import type { TokenLedger } from '../ports/token-ledger';
import type { Writer } from '../ports/writer';
import type { WriteClaims } from '../ports/write-claims';
import { writeOnce, writingDeps } from '../outbox/write-once';
import type { DigestConfig } from './digest-config';
import { metricLines } from './metric-lines';
import { computeDigestMetrics, type DigestInput } from './metrics';
import type { Link } from '../core/canonical-event';
import { digestPeriod } from './period';
import { readDigestInput } from './read-digest-input';

export interface DigestDeps {
  store: DigestStore & Pick<IncidentStore, 'openIncidents'> & Pick<ChangeStore, 'readChangeWindow'>;
  approvals: Pick<ApprovalStore, 'pending'>;
  ledger: TokenLedger;
  writer: Writer;
  outbox: Outbox;
  clock: Clock;
  config: DigestConfig;
  /** The write-once claims: one writer (and model) call per digest, even when a run's lease lapsed while it wrote. */
  claims: WriteClaims;
  leaseMs?: number;
  /** How a run that lost the write claim waits for the holder's digest (virtual time in tests). */
  sleep?: (ms: number) => Promise<void>;
}

const SCHEDULE_SLACK_MS = 60_000;

export interface DigestOutcome {
  id: string;
  /** False when this period's digest had already been written (a re-fired schedule). */
  posted: boolean;
  itemsRead: number;
}

/** Thrown when another run holds this period's lease; the scheduler retries. */
export class DigestInProgressError extends Error {
  override readonly name = 'DigestInProgressError';
}

/**
 * Writes and posts one digest. A scheduled run covers the period ending at the latest
 * scheduled time (so a late or re-fired run finds the same period and does not post twice);
 * `manual` (local `POST /local/digest`) covers from the previous digest to now and does not
 * move where the next scheduled digest starts.
 */
export async function runDigest(deps: DigestDeps, options: { manual?: boolean } = {}): Promise<DigestOutcome> {
  const now = deps.clock.now();
  const last = await deps.store.lastDigest();
  // A scheduler may fire a moment early by this process's clock; a minute of slack keeps that
  // run in its own period instead of finding yesterday's already written.
  const scheduled = digestPeriod({ now: new Date(now.getTime() + SCHEDULE_SLACK_MS), cron: deps.config.cron, timeZone: deps.config.timeZone });
  const id = options.manual ? `manual-${now.toISOString()}` : scheduled.key;
  const to = options.manual ? now : scheduled.to;
  const lastTo = last ? new Date(last.to) : undefined;
  // Since the previous digest, when there is one before this period's end; else the scheduled start.
  const from = lastTo && lastTo < to ? lastTo : options.manual ? new Date(now.getTime() - 86_400_000) : scheduled.from;

  const claim = await deps.store.claimDigest(id, now, deps.leaseMs ?? 120_000);
  if (claim === 'already-posted') return { id, posted: false, itemsRead: 0 };
  if (claim === 'held-by-another') throw new DigestInProgressError(`Digest ${id} is being written by another run`);

  const period = { from, to };
  const previousPeriod = { from: new Date(from.getTime() - (to.getTime() - from.getTime())), to: from };
  const { input, itemsRead } = await readDigestInput(deps.store, deps.approvals, { period, previousPeriod, now }, deps.config);
  const metrics = computeDigestMetrics(input);
  const lines = metricLines(metrics, input);
  const budgetNote = await budgetNoteFor(deps.ledger, now);

  // The outbox id is the period's, and the writer is called under its write-once claim: a run that
  // died after handing the digest over, or one whose lease lapsed while it wrote, pays for no second call.
  const outboxId = documentId('digest', id);
  const sent = await writeOnce(writingDeps(deps), {
    id: outboxId,
    write: () => deps.writer.write({ kind: 'digest', facts: { ...lines, ...(budgetNote ? { budgetNote } : {}) }, untrusted: {}, links: provenance(input) }),
    send: (document) => deps.outbox.send({ id: outboxId, kind: 'digest', channel: deps.config.channel, ...renderDocument(document), document }),
  });
  const document = sent.document;
  if (!document) throw new Error(`The outbox record ${outboxId} carries no document`);
  await deps.store.saveDigest(
    {
      id,
      period: { from: from.toISOString(), to: to.toISOString() },
      // Dates become ISO strings: the record is plain JSON.
      metrics: JSON.parse(JSON.stringify(metrics)) as unknown,
      document,
      documentId: sent.id,
      ...(sent.message ? { message: sent.message } : {}),
      itemsRead,
      writtenAt: deps.clock.now().toISOString(),
    },
    !options.manual,
  );
  return { id, posted: true, itemsRead };
}

/** Said plainly when yesterday's or today's AI budget ran out and templates stood in. */
async function budgetNoteFor(ledger: TokenLedger, now: Date): Promise<string | undefined> {
  const days = [new Date(now.getTime() - 86_400_000), now].map((day) => day.toISOString().slice(0, 10));
  const spends = await Promise.all(days.map((day) => ledger.spend(day).catch(() => undefined)));
  const fallbacks = spends.reduce((sum, spend) => sum + (spend?.budgetFallbacks ?? 0), 0);
  if (fallbacks === 0) return undefined;
  return `The daily AI writing budget ran out: ${fallbacks} document${fallbacks === 1 ? ' was' : 's were'} written from templates since ${days[0]}.`;
}

/** Links to the incidents the digest reports on (triggered or resolved in the period), at most five. */
function provenance(input: DigestInput): Link[] {
  const inPeriod = (instant?: string) => !!instant && Date.parse(instant) >= input.period.from.getTime() && Date.parse(instant) < input.period.to.getTime();
  return input.incidents
    .filter((incident) => incident.url && (inPeriod(incident.triggeredAt) || inPeriod(incident.resolvedAt)))
    .slice(0, 5)
    .map((incident) => ({ label: `Incident ${incident.key}`, url: incident.url ?? '' }));
}
