import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoOutboxStore } from '../adapters/dynamo-outbox';
import type { Chat } from '../ports/chat';
import { type DeliveryOptions, type Log, OutboxDelivery, type OutboxTiming, systemTiming } from './delivery';
import { DeliveringOutbox } from './outbox-service';
import type { OutboxStore } from './outbox-store';
import { ChannelPacer } from './pacer';
import type { SweepDeps } from './sweeper';

export interface OutboxParts extends SweepDeps {
  outbox: DeliveringOutbox;
  store: OutboxStore;
}

/** The outbox on the service table, delivering through `chat`: what every worker and the sweeper build. */
export function createOutbox(
  db: DynamoDBDocumentClient,
  tableName: string,
  chat: Chat,
  log: Log,
  options: DeliveryOptions & { timing?: OutboxTiming; pacer?: ChannelPacer } = {},
): OutboxParts {
  const timing = options.timing ?? systemTiming;
  const store = new DynamoOutboxStore(db, tableName);
  const delivery = new OutboxDelivery(store, chat, timing, log, options.pacer ?? new ChannelPacer(), options);
  return { outbox: new DeliveringOutbox(store, delivery, timing, log), store, delivery, timing, log };
}
