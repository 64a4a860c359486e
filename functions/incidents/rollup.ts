import type { CanonicalEvent } from '../core/canonical-event';
import { formatDuration, formatInstant } from '../core/durations';
import { writeOnce, type WriteOnceDeps } from '../outbox/write-once';
import type { WriteRequestOf, Writer, WrittenDocument } from '../ports/writer';
import { documentId } from '../core/document-id';
import type { AttentionStore, Rollup, RollupMember } from '../ports/attention-store';
import type { Clock } from '../ports/clock';
import type { Outbox } from '../ports/outbox';
import { untrusted } from '../slack/outbound/mrkdwn';
import type { AttentionConfig } from './attention-config';
import type { IncidentState } from './incident-state';
import { renderRollup } from './rollup-message';

export interface RollupDeps {
  attention: AttentionStore;
  outbox: Outbox;
  clock: Clock;
  channel: string;
  config: AttentionConfig;
  writer: Writer;
  writing: WriteOnceDeps;
}

/** The outbox kind of the roll-up message; its thread replies are code-built `incident.rollup.update` messages. */
export const ROLLUP_KIND = 'incident.rollup';
export const ROLLUP_UPDATE_KIND = 'incident.rollup.update';

/**
 * One event of an incident that is a line in a storm roll-up: the roll-up message exists (written
 * once), the incident's line is brought up to date, the thread hears of what changes the
 * picture, and the message is re-rendered from every line. `before` is the incident as it was
 * before this event (undefined when this event is its first).
 */
export async function handleRollupEvent(
  rollupId: string,
  key: string,
  state: IncidentState,
  before: IncidentState | undefined,
  event: CanonicalEvent,
  order: number,
  deps: RollupDeps,
): Promise<void> {
  const rollup = await deps.attention.rollup(rollupId);
  if (!rollup) throw new Error(`Roll-up ${rollupId} has no record`);
  const summary = await ensureRollupMessage(rollup, deps);
  const { changes } = await deps.attention.saveMember(rollupId, rollupMember(key, state, order));
  for (const update of pictureChanges(state, before, event)) {
    await deps.outbox.send({
      id: documentId(rollupId, 'update', event.id, update.what),
      kind: ROLLUP_UPDATE_KIND,
      channel: deps.channel,
      parentId: rollupId,
      threadPosition: new Date(event.occurredAt).toISOString(),
      text: update.text,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: update.text, verbatim: true } }],
    });
  }
  const members = await deps.attention.members(rollupId);
  if (members.length > 0 && members.every((member) => member.status === 'resolved')) {
    // One reply per roll-up, edited as the count grows: incidents that join and resolve one after
    // another (flapping alerts) update that line instead of posting one each. `order` keeps an
    // older count from overwriting a newer one.
    const id = documentId(rollupId, 'all-resolved');
    const text = untrusted(`All ${members.length} incidents in this major event are resolved.`);
    const content = { text, blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text, verbatim: true } }], order: members.length };
    await deps.outbox.send({ id, kind: ROLLUP_UPDATE_KIND, channel: deps.channel, parentId: rollupId, ...content });
    await deps.outbox.revise(id, content);
  }
  // `changes` was counted after this line was written and before `members` was read: the render with the highest count shows every line.
  await deps.outbox.revise(rollupId, { ...renderRollup(summary, rollup, members, deps.clock.now()), document: summary, order: changes });
}

/**
 * The roll-up message: its summary written once (under a write-once claim, so the model is
 * called once per roll-up), handed to the outbox with the lines known at that moment.
 */
async function ensureRollupMessage(rollup: Rollup, deps: RollupDeps): Promise<WrittenDocument> {
  const sent = await writeOnce(deps.writing, {
    id: rollup.id,
    write: async () => {
      const members = await deps.attention.members(rollup.id);
      return deps.writer.write(rollupWriteRequest(rollup, members, deps.config));
    },
    send: async (document) =>
      deps.outbox.send({
        id: rollup.id,
        kind: ROLLUP_KIND,
        channel: deps.channel,
        ...renderRollup(document, rollup, await deps.attention.members(rollup.id), deps.clock.now()),
        document,
      }),
  });
  if (!sent.document) throw new Error(`Roll-up ${rollup.id} was recorded without its document`);
  return sent.document;
}

/** What the summary may say: the moment the storm began, the rule that gathered it, and the incidents in it then. */
export function rollupWriteRequest(rollup: Rollup, members: readonly RollupMember[], config: AttentionConfig): WriteRequestOf<'incident.rollup'> {
  const distinct = (values: (string | null)[]) => [...new Set(values.filter((value): value is string => !!value))].sort();
  const facts = {
    startedAt: formatInstant(rollup.startedAt),
    threshold: config.stormThreshold,
    window: formatDuration(config.stormWindowMs),
    services: distinct(members.map((member) => member.service)),
    priorities: distinct(members.map((member) => member.priority)),
  };
  return { kind: 'incident.rollup', facts, untrusted: {}, links: [] };
}

/** What this event changes in the picture, as short code-built lines: a new P1, a priority change, an escalation. */
export function pictureChanges(state: IncidentState, before: IncidentState | undefined, event: CanonicalEvent): { what: string; text: string }[] {
  const name = untrusted(`${state.key ?? state.id} ${state.title}${state.service ? ` (${state.service})` : ''}`);
  const changes: { what: string; text: string }[] = [];
  const wasP1 = before?.priority === 'P1';
  if (state.priority === 'P1' && !wasP1) {
    changes.push({ what: 'p1', text: before?.priority ? `Raised to P1 (was ${untrusted(before.priority)}): ${name}` : `New P1: ${name}` });
  } else if (before && event.type === 'incident.priority_updated' && before.priority !== state.priority) {
    changes.push({ what: 'priority', text: `Priority ${untrusted(before.priority ?? 'none')} → ${untrusted(state.priority ?? 'none')}: ${name}` });
  }
  if (event.type === 'incident.escalated') changes.push({ what: 'escalated', text: `Escalated in PagerDuty: ${name}` });
  return changes;
}

/** The incident's line in a roll-up; `order` is how many timeline events it was folded from. */
export function rollupMember(key: string, state: IncidentState, order: number): RollupMember {
  return {
    key,
    number: state.key ?? state.id,
    title: state.title,
    priority: state.priority ?? null,
    status: state.status,
    service: state.service ?? null,
    triggeredAt: state.triggeredAt ?? null,
    acknowledgedAt: state.acknowledgedAt ?? null,
    url: state.url ?? null,
    order,
  };
}
