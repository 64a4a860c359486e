import type { KnownBlock } from '../ports/chat';
import type { WrittenDocument } from '../ports/writer';
import type { Rollup, RollupMember } from '../ports/attention-store';
import { mrkdwnLink, untrusted } from '../slack/outbound/mrkdwn';
import { clip as clipTo, type RenderedMessage } from '../slack/outbound/render-document';
import { priorityRank } from './attention-config';
import { elapsedMs, formatDuration, formatInstant } from '../core/durations';

/** Incidents listed one by one; the rest are counted. */
export const ROLLUP_LISTED = 50;
/** Slack caps a section's text at 3,000 characters. */
const SECTION_LIMIT = 2900;

const STATUS_LABEL: Record<RollupMember['status'], string> = { triggered: '🔴 triggered', acknowledged: '🟠 acknowledged', resolved: '✅ resolved' };

/**
 * The roll-up message as it should read now, built by code from its lines: counts by priority,
 * status and service, the incidents (open first, most urgent first, then oldest), the first
 * 50 and a count of the rest, the oldest unacknowledged, and the written summary.
 */
export function renderRollup(summary: Pick<WrittenDocument, 'sections'>, rollup: Rollup, members: readonly RollupMember[], now: Date): RenderedMessage {
  const ordered = [...members].sort(byAttention);
  const open = members.filter((m) => m.status !== 'resolved');
  const headline = `Major event: ${members.length} incident${members.length === 1 ? '' : 's'} since ${formatInstant(rollup.startedAt)}, ${open.length} open`;
  const blocks: KnownBlock[] = [{ type: 'section', text: { type: 'mrkdwn', text: `*${untrusted(headline)}*`, verbatim: true } }];
  const counts = [tally(members.map((m) => m.priority ?? 'no priority')), tally(members.map((m) => m.status))].join('   |   ');
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: untrusted(counts), verbatim: true }] });
  for (const section of summary.sections) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(`*${untrusted(section.heading)}*\n${untrusted(section.body)}`), verbatim: true } });
  }
  blocks.push({
    type: 'section',
    text: { type: 'mrkdwn', text: clip(`*By service*\n${untrusted(tally(members.map((m) => m.service ?? 'unknown service')))}`), verbatim: true },
  });
  const oldest = open.filter((m) => m.status === 'triggered' && m.triggeredAt).sort((a, b) => (a.triggeredAt ?? '').localeCompare(b.triggeredAt ?? ''))[0];
  if (oldest?.triggeredAt) {
    const waiting = elapsedMs(oldest.triggeredAt, now.toISOString());
    const line = `*Oldest unacknowledged:* ${numberLink(oldest)} ${untrusted(oldest.title)}${waiting === undefined ? '' : `, open ${formatDuration(waiting)}`}`;
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(line), verbatim: true } });
  }
  for (const chunk of chunks(ordered.slice(0, ROLLUP_LISTED).map(memberLine))) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: chunk, verbatim: true } });
  }
  if (ordered.length > ROLLUP_LISTED) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `and ${ordered.length - ROLLUP_LISTED} more incidents`, verbatim: true }] });
  }
  return { text: untrusted(`${headline} (${counts})`), blocks };
}

/** One incident: number (linked), title, priority, status, service. */
function memberLine(member: RollupMember): string {
  const parts = [member.priority ?? 'no priority', STATUS_LABEL[member.status]];
  if (member.service) parts.push(member.service);
  return `${numberLink(member)} ${untrusted(member.title)} · ${untrusted(parts.join(' · '))}`;
}

function numberLink(member: RollupMember): string {
  return member.url ? mrkdwnLink(member.url, member.number) : untrusted(member.number);
}

/** Open before resolved, then most urgent, then oldest. */
function byAttention(a: RollupMember, b: RollupMember): number {
  const resolved = Number(a.status === 'resolved') - Number(b.status === 'resolved');
  const rank = (priorityRank(a.priority) ?? 9) - (priorityRank(b.priority) ?? 9);
  return resolved || rank || (a.triggeredAt ?? '').localeCompare(b.triggeredAt ?? '') || a.key.localeCompare(b.key);
}

/** `P1 2 · P2 38`, largest first. */
function tally(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([value, count]) => `${value} ${count}`)
    .join(' · ');
}

function chunks(lines: readonly string[]): string[] {
  const out: string[] = [];
  let current = '';
  for (const line of lines) {
    const next = current ? `${current}\n${line}` : line;
    if (next.length > SECTION_LIMIT && current) {
      out.push(current);
      current = clip(line);
    } else current = clip(next);
  }
  if (current) out.push(current);
  return out;
}

function clip(text: string): string {
  return clipTo(text, SECTION_LIMIT);
}
