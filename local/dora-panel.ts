import type { DigestConfig } from '../functions/digest/digest-config';
import { computeDora } from '../functions/digest/dora';
import { type DigestReadStore, readDigestInput } from '../functions/digest/read-digest-input';
import { doraLines } from '../functions/digest/dora-lines';

const WEEK_MS = 7 * 86_400_000;

export type DoraPanelStore = DigestReadStore;

/**
 * The DORA lines for the last 7 days up to now, computed live by the same code as the digest
 * (same reads through the time index, same metrics, same lines), for the local inbox.
 */
export async function liveDoraLines(store: DoraPanelStore, config: DigestConfig, now: Date): Promise<string[]> {
  const period = { from: new Date(now.getTime() - WEEK_MS), to: now };
  const previousPeriod = { from: new Date(now.getTime() - 2 * WEEK_MS), to: period.from };
  const { input } = await readDigestInput(store, undefined, { period, previousPeriod, now }, config);
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
