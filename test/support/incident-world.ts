import { DynamoStore } from '../../functions/adapters/dynamo-store';
import { InboxChat } from '../../functions/adapters/inbox-chat';
import { DEFAULT_ATTENTION } from '../../functions/incidents/attention-config';
import { createOutbox } from '../../functions/outbox/create-outbox';
import type { OutboxStore } from '../../functions/outbox/outbox-store';
import { sweepOutbox } from '../../functions/outbox/sweeper';
import type { Chat } from '../../functions/ports/chat';
import type { Writer } from '../../functions/ports/writer';
import { incidentWorkerDeps } from '../../functions/wiring/worker-deps';
import { TemplateWriter } from '../../functions/writer/template-writer';
import { freshTable } from './dynamo';
import { type VirtualTiming, virtualTiming } from './outbox-harness';

/** Far enough ahead that every scheduled attempt is due by then. */
const END_OF_TIME = new Date('9999-12-31T23:59:59.999Z');

/** Whether the outbox still has work scheduled: a first post, or an update of a delivered message. */
export async function outboxHasWork(store: OutboxStore): Promise<boolean> {
  return (await store.due(END_OF_TIME, 1)).length > 0;
}

/**
 * The incident worker on a fresh DynamoDB Local table, delivering to an in-memory chat through the
 * real outbox on virtual time. `sweepAll` runs the sweeper until nothing is left to post or to
 * edit: a roll-up's or status line's last edit counts, not only first posts.
 */
export async function incidentWorld(name: string, options: { start?: Date; writer?: Writer; wrapChat?: (chat: InboxChat) => Chat } = {}) {
  const table = await freshTable(name);
  const store = new DynamoStore(table.db, table.tableName);
  const chat = new InboxChat();
  const timing: VirtualTiming = virtualTiming(options.start ?? new Date());
  const parts = createOutbox(table.db, table.tableName, options.wrapChat ? options.wrapChat(chat) : chat, () => {}, { timing });
  const infrastructure = { ...table, store, outbox: parts.outbox, writer: options.writer ?? new TemplateWriter(), clock: timing };
  const deps = incidentWorkerDeps(infrastructure, { channel: '#incidents-exec', config: DEFAULT_ATTENTION });
  const stores = { claims: deps.claims, attention: deps.attention };
  const sweepAll = async () => {
    for (let pass = 0; pass < 20 && (await outboxHasWork(parts.store)); pass++) {
      timing.advance(60_000);
      await sweepOutbox(parts);
    }
  };
  return { table, store, chat, timing, parts, stores, deps, sweepAll };
}
