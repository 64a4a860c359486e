import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SlackChat } from '../../functions/adapters/slack-chat';
import { ChannelPacer } from '../../functions/outbox/pacer';
import type { Chat } from '../../functions/ports/chat';
import type { Clock } from '../../functions/ports/clock';
import { createOutbox } from '../../functions/outbox/create-outbox';
import { freshTable } from './dynamo';
import { type FakeSlack, startFakeSlack } from './fake-slack';
import { virtualTiming } from './virtual-time';

export { type VirtualTiming, virtualTiming } from './virtual-time';

export const FAKE_TOKEN = 'fake-slack-bot-token-for-tests';

/**
 * The outbox on a fresh DynamoDB Local table, delivering with the real @slack/web-api to a
 * fake Slack whose message ts follow the virtual clock. `timeoutMs` is the Slack client's.
 */
export async function outboxHarness(options: { timeoutMs?: number; start?: Date } = {}) {
  const table = await freshTable('outbox');
  const timing = virtualTiming(options.start ?? new Date('2026-11-24T08:00:00.000Z'));
  const slack: FakeSlack = await startFakeSlack({ now: timing.nowMs });
  const chat = new SlackChat({ token: FAKE_TOKEN, apiUrl: slack.apiUrl, timeoutMs: options.timeoutMs ?? 2_000 });
  const logs: { message: string; detail: Record<string, unknown> }[] = [];
  const parts = createOutbox(table.db, table.tableName, chat, (message, detail) => logs.push({ message, detail }), { timing, random: () => 0.5 });
  const posts = () => slack.calls.filter((call) => call.method === 'chat.postMessage');
  return { ...parts, table, timing, slack, chat, logs, posts, close: () => slack.close() };
}

/**
 * An outbox on `table` for tests of the workers (not of delivery): the worker's clock, no
 * channel pacing, nothing logged. Documents are delivered at once unless `chat` fails.
 */
export function testOutbox(table: { db: DynamoDBDocumentClient; tableName: string }, chat: Chat, clock: Clock = { now: () => new Date() }) {
  return createOutbox(table.db, table.tableName, chat, () => {}, { timing: { now: () => clock.now(), sleep: async () => {} }, pacer: new ChannelPacer(0, 1) });
}
