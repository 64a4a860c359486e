import { DynamoApprovalStore } from '../../functions/adapters/dynamo-approvals';
import { DynamoStore } from '../../functions/adapters/dynamo-store';
import { DynamoWriteClaims } from '../../functions/adapters/dynamo-write-claims';
import { InboxChat } from '../../functions/adapters/inbox-chat';
import { TemplateWriter } from '../../functions/writer/template-writer';
import { freshTable } from './dynamo';
import { testOutbox } from './outbox-harness';

/**
 * A fresh table and what every whole-service test world runs on: the stores, an in-memory chat,
 * the template writer, the outbox and the write claims, all on one clock fixed at `now`.
 */
export async function fixedClockTable(prefix: string, now: Date) {
  const table = await freshTable(prefix);
  const clock = { now: () => now };
  const chat = new InboxChat(() => now);
  return {
    table,
    store: new DynamoStore(table.db, table.tableName),
    approvals: new DynamoApprovalStore(table.db, table.tableName),
    chat,
    clock,
    writer: new TemplateWriter(),
    outbox: testOutbox(table, chat, clock).outbox,
    claims: new DynamoWriteClaims(table.db, table.tableName),
  };
}
