/*
 * A process that does one outbox step against a persistent DynamoDB Local and a fake Slack,
 * for the crash test: `send` records and posts one document (and is killed mid-post);
 * `sweep` is the restart, one sweeper pass with the clock moved by CLOCK_OFFSET_MS.
 */
import { createDocumentClient } from '../../functions/adapters/dynamo-client';
import { SlackChat } from '../../functions/adapters/slack-chat';
import { createOutbox } from '../../functions/outbox/create-outbox';
import { sweepOutbox } from '../../functions/outbox/sweeper';

const env = process.env;
const offset = Number(env.CLOCK_OFFSET_MS ?? 0);
const timing = { now: () => new Date(Date.now() + offset), sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)) };
const db = createDocumentClient({ endpoint: env.DYNAMODB_ENDPOINT });
const chat = new SlackChat({ token: 'fake-slack-bot-token-for-tests', apiUrl: env.SLACK_API_URL, timeoutMs: 20_000 });
const parts = createOutbox(db, String(env.TABLE_NAME), chat, (message, detail) => console.log(JSON.stringify({ message, ...detail })), { timing });

if (env.MODE === 'send') {
  console.log('sending');
  const blocks = [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'Brief', verbatim: true } }];
  await parts.outbox.send({ id: String(env.DOC_ID), kind: 'incident.brief', channel: 'C0CRASH', text: 'Brief', blocks });
  console.log('sent');
} else {
  console.log(JSON.stringify({ sweep: await sweepOutbox(parts, { budgetMs: 10_000 }) }));
}
db.destroy();
