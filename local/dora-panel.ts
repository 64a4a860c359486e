import type { DigestConfig } from '../functions/digest/digest-config';
import { buildDigestInput } from '../functions/digest/digest-input';
import { computeDora, doraReadFrom } from '../functions/digest/dora';
import { doraLines } from '../functions/digest/dora-lines';
import type { ChangeStore } from '../functions/ports/change-store';
import type { DigestStore } from '../functions/ports/digest-store';
import type { IncidentStore } from '../functions/ports/store';

const WEEK_MS = 7 * 86_400_000;

export type DoraPanelStore = Pick<DigestStore, 'readTimeWindow'> & Pick<ChangeStore, 'readChangeWindow'> & Pick<IncidentStore, 'openIncidents'>;

/**
 * The DORA lines for the last 7 days up to now, computed live by the same code as the digest
 * (same reads through the time index, same metrics, same lines), for the local inbox.
 */
export async function liveDoraLines(store: DoraPanelStore, config: DigestConfig, now: Date): Promise<string[]> {
  const period = { from: new Date(now.getTime() - WEEK_MS), to: now };
  const previousPeriod = { from: new Date(now.getTime() - 2 * WEEK_MS), to: period.from };
  const [read, changes, openIncidents] = await Promise.all([
    store.readTimeWindow(previousPeriod.from, now),
    store.readChangeWindow(doraReadFrom(period, previousPeriod), now),
    store.openIncidents(),
  ]);
  const input = buildDigestInput({ items: read.items, openIncidents, pendingApprovals: [], changes: changes.items }, { period, previousPeriod, now }, config);
  return input.dora ? doraLines(computeDora(input.dora), config.attributionWindowHours) : [];
}

/** The panel's HTML: one list item per line, every character escaped. */
export function renderDoraPanel(lines: readonly string[]): string {
  if (lines.length === 0) return '';
  const items = lines.map((line) => `<li>${escapeHtml(line)}</li>`).join('');
  return `<section class="thread dora" aria-label="DORA metrics"><div class="header">DORA · last 7 days, live</div><ul class="section">${items}</ul></section>`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
