import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { incidentAttentionStores } from '../../functions/adapters/dynamo-attention';
import { DynamoStore } from '../../functions/adapters/dynamo-store';
import { createTableIfMissing } from '../../functions/adapters/dynamo-table';
import { InboxChat } from '../../functions/adapters/inbox-chat';
import { handleIncidentEvent } from '../../functions/incidents/incident-worker';
import { createOutbox } from '../../functions/outbox/create-outbox';
import { ChannelPacer } from '../../functions/outbox/pacer';
import { sweepOutbox } from '../../functions/outbox/sweeper';
import { ClaudeWriter, createAnthropicClient } from '../../functions/writer/claude-writer';
import { TemplateWriter } from '../../functions/writer/template-writer';
import { startFakeAnthropic } from '../../local/fake-anthropic';
import { TemplateModelWriter } from '../../local/template-model';
import { incidentEventAt, PAGERDUTY_BURST } from '../../test/support/incident-events';
import { outboxHasWork } from './attention-day';
import { type Figure, round } from './figures';
import { withRetries } from '../../test/support/with-retries';

const REDELIVERIES = 10;
/** How long the fake model takes to answer: long enough for every race between workers to happen. */
const MODEL_MS = 150;

/**
 * attention.model_calls_per_document: PagerDuty's eight lifecycle events of one incident within a
 * second, each delivered once and redelivered ten times, all at once (88 concurrent incident
 * workers), with the real ClaudeWriter and SDK against the fake Messages API over HTTP, whose
 * model answers with the template's draft (so no grounding correction is needed). Messages API
 * calls divided by documents posted; the contract is exactly 1.
 */
export async function benchModelCallsPerDocument(db: DynamoDBDocumentClient): Promise<Figure[]> {
  const fake = await startFakeAnthropic();
  try {
    const tableName = `bench-burst-${Date.now()}`;
    await createTableIfMissing(db, tableName);
    const chat = new InboxChat();
    const parts = createOutbox(db, tableName, chat, () => {}, { pacer: new ChannelPacer(1) });
    const { outbox } = parts;
    const client = createAnthropicClient({ apiKey: 'fake-anthropic-key-for-bench', baseURL: fake.baseURL, maxRetries: 0, timeoutMs: 20_000 });
    const writer = new TemplateModelWriter(fake, new ClaudeWriter({ client, model: 'claude-sonnet-5-5', fallback: new TemplateWriter() }), {
      delayMs: MODEL_MS,
    });
    const deps = {
      store: new DynamoStore(db, tableName),
      outbox,
      writer,
      clock: { now: () => new Date() },
      channel: '#incidents-exec',
      ...incidentAttentionStores(db, tableName),
    };
    const start = new Date(Date.now() - 60_000);
    const events = PAGERDUTY_BURST.map((type, index) => incidentEventAt(start, type, index / 600, { incidentId: 'QBENCHBURST', priority: 'P1' }));
    const started = performance.now();
    await Promise.all(events.flatMap((event) => Array.from({ length: 1 + REDELIVERIES }, () => withRetries(() => handleIncidentEvent(event, deps)))));
    const elapsed = performance.now() - started;
    // A worker leaves its document to the sweeper when others wait for the channel: deliver them all before counting.
    for (let pass = 0; pass < 20 && (await outboxHasWork(parts)); pass++) await sweepOutbox(parts, { budgetMs: 10_000 });
    const threads = chat.threads();
    const posted = threads.length + threads.reduce((sum, thread) => sum + thread.replies.length, 0);
    const calls = fake.requests.length;
    return [
      {
        id: 'attention.model_calls_per_document',
        label: `Messages API calls per document posted: ${PAGERDUTY_BURST.length} events of one incident, each delivered ${1 + REDELIVERIES} times at once (${events.length * (1 + REDELIVERIES)} concurrent workers), real SDK, fake model ${MODEL_MS} ms an answer: ${calls} calls, ${posted} documents (${threads.length} brief, ${posted - threads.length} replies), ${Math.round(elapsed)} ms`,
        value: round(calls / Math.max(1, posted), 3),
        unit: 'calls/doc',
        target: 1,
        better: 'lower',
      },
    ];
  } finally {
    await fake.stop();
  }
}
