import type { ApprovalStore } from '../ports/approval-store';
import type { ChangeStore } from '../ports/change-store';
import type { DigestStore } from '../ports/digest-store';
import type { IncidentStore } from '../ports/store';
import type { DigestSettings } from './digest-config';
import { buildDigestInput, type Window } from './digest-input';
import type { DigestInput } from './metrics';
import { doraReadFrom } from './dora';
import { zonedMonth } from './zoned-time';

/** What the digest (and anything that must show the digest's figures) reads. */
export type DigestReadStore = Pick<DigestStore, 'readTimeWindow'> & Pick<IncidentStore, 'openIncidents'> & Pick<ChangeStore, 'readChangeWindow'>;

export interface DigestRead {
  input: DigestInput;
  /** Items DynamoDB read for it (time window plus change buckets). */
  itemsRead: number;
}

/**
 * The digest's reads for a period, then its inputs: the time index over the previous period
 * and the month so far, the change buckets DORA needs, and the two "open now" partitions.
 * Every caller that shows a digest figure (the digest, the inbox's DORA panel, the answers to
 * questions) reads through here, so the same period gives the same figures.
 */
export async function readDigestInput(
  store: DigestReadStore,
  approvals: Pick<ApprovalStore, 'pending'> | undefined,
  window: { period: Window; previousPeriod: Window; now: Date },
  config: DigestSettings,
): Promise<DigestRead> {
  const { period, previousPeriod, now } = window;
  const monthStart = zonedMonth(now, config.timeZone).start;
  const readFrom = new Date(Math.min(previousPeriod.from.getTime(), monthStart.getTime()));
  const [read, changes, openIncidents, pendingApprovals] = await Promise.all([
    store.readTimeWindow(readFrom, period.to),
    // Deployments and merged pull requests sit in their own buckets: weeks of them cost only themselves.
    store.readChangeWindow(doraReadFrom(period, previousPeriod), period.to),
    store.openIncidents(),
    approvals ? approvals.pending() : Promise.resolve([]),
  ]);
  const input = buildDigestInput({ items: read.items, openIncidents, pendingApprovals, changes: changes.items }, window, config);
  return { input, itemsRead: read.itemsRead + changes.itemsRead };
}
