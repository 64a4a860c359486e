import { incidentAttentionStores } from '../../functions/adapters/dynamo-attention';
import { DynamoWriteClaims } from '../../functions/adapters/dynamo-write-claims';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoApprovalStore } from '../../functions/adapters/dynamo-approvals';
import { DynamoStore } from '../../functions/adapters/dynamo-store';
import { createTableIfMissing } from '../../functions/adapters/dynamo-table';
import { InboxChat } from '../../functions/adapters/inbox-chat';
import { loadApprovalConfig } from '../../functions/approvals/approval-config';
import { handleApprovalWorkerEvent } from '../../functions/approvals/approval-worker';
import type { CanonicalEvent } from '../../functions/core/canonical-event';
import { loadDigestConfig } from '../../functions/digest/digest-config';
import { runDigest } from '../../functions/digest/digest-runner';
import { loadEscalationConfig } from '../../functions/escalations/escalation-config';
import { handleIncidentEvent } from '../../functions/incidents/incident-worker';
import { startLocalEscalations } from '../../local/escalation-runtime';
import { createOutbox } from '../../functions/outbox/create-outbox';
import { ChannelPacer } from '../../functions/outbox/pacer';
import type { DocumentKind, WriteRequest, Writer, WrittenDocument } from '../../functions/ports/writer';
import { findSource } from '../../functions/sources/registry';
import { ClaudeWriter, createAnthropicClient } from '../../functions/writer/claude-writer';
import { TemplateWriter } from '../../functions/writer/template-writer';
import { DEFAULT_TIER_MODELS } from '../../functions/writer/model-tiers';
import { messageReply, startFakeAnthropic, type FakeAnthropic } from '../../local/fake-anthropic';
import { deliveryAndHiringScenario } from '../../local/scenarios/delivery-and-hiring';
import { pagerDutyIncidentScenario } from '../../local/scenarios/pagerduty-incident';
import type { ScenarioDelivery } from '../../local/scenarios/signers';
import { type Figure, round } from './figures';

/** The standard tier's model; kinds whose spec says `fast` get the fast tier's, as in production. */
const BENCH_MODEL = DEFAULT_TIER_MODELS.standard;

/** Average tokens per document kind, measured here; the cost figure prices them. */
export type UsageProfile = Partial<
  Record<DocumentKind, { model: string; inputTokens: number; outputTokens: number; cacheWriteTokens: number; cacheReadTokens: number; calls: number }>
>;

/**
 * The real ClaudeWriter against the fake Messages API, where the "model" answers with the
 * template writer's document for the same request: a well-behaved model whose drafts are
 * grounded, so any extra call is the writer's own doing. One document at a time.
 */
class ScriptedModelWriter implements Writer {
  readonly documents: WrittenDocument[] = [];
  private readonly template = new TemplateWriter();
  constructor(
    private readonly fake: FakeAnthropic,
    private readonly claude: ClaudeWriter,
  ) {}
  async write(request: WriteRequest): Promise<WrittenDocument> {
    const draft = await this.template.write(request);
    this.fake.otherwise(messageReply({ headline: draft.headline, sections: draft.sections }));
    const document = await this.claude.write(request);
    this.documents.push(document);
    return document;
  }
}

function events(deliveries: readonly ScenarioDelivery[]): CanonicalEvent[] {
  return deliveries.flatMap((d) => {
    const normalized = findSource(d.source)?.normalize(JSON.parse(d.body), d.deliveryId);
    return normalized && !normalized.ignored ? normalized.events : [];
  });
}

/**
 * writer.calls_per_document and writer.cache_read_share over one incident lifecycle (brief,
 * escalation, replies, closing), one approval request and one digest; also the token profile per kind.
 */
export async function benchWriter(db: DynamoDBDocumentClient): Promise<{ figures: Figure[]; profile: UsageProfile }> {
  const fake = await startFakeAnthropic();
  try {
    const tableName = `bench-writer-${Date.now()}`;
    await createTableIfMissing(db, tableName);
    const store = new DynamoStore(db, tableName);
    const approvals = new DynamoApprovalStore(db, tableName);
    const chat = new InboxChat();
    // Delivered at once: pacing to Slack's one message a second per channel is not what is measured here.
    const { outbox } = createOutbox(db, tableName, chat, () => {}, { pacer: new ChannelPacer(1) });
    const clock = { now: () => new Date() };
    const claims = new DynamoWriteClaims(db, tableName);
    const client = createAnthropicClient({ apiKey: 'fake-anthropic-key-for-bench', baseURL: fake.baseURL, maxRetries: 0, timeoutMs: 5000 });
    const writer = new ScriptedModelWriter(fake, new ClaudeWriter({ client, model: BENCH_MODEL, fallback: new TemplateWriter() }));

    // The escalation worker too: PagerDuty's own escalation of the incident is escalated to the VP at once (a document).
    const escalations = await startLocalEscalations({
      infrastructure: { db, tableName, store, outbox, writer, clock },
      config: loadEscalationConfig({}),
      incidentsChannel: '#incidents',
      log: () => {},
    });
    const start = new Date(Date.now() - 3 * 3_600_000);
    try {
      for (const event of events(pagerDutyIncidentScenario({ incidentId: 'QBENCHWRITER', number: 8100, start }))) {
        await handleIncidentEvent(event, { store, outbox, writer, clock, channel: '#incidents', ...incidentAttentionStores(db, tableName) });
        await escalations.worker(event);
      }
    } finally {
      await escalations.stop();
    }
    const [jira] = deliveryAndHiringScenario();
    const published: CanonicalEvent[] = [];
    const bus = { publish: async (e: readonly CanonicalEvent[]) => void published.push(...e) };
    for (const event of events(jira ? [jira] : [])) {
      await handleApprovalWorkerEvent(event, { approvals, chat, outbox, writer, bus, clock, claims, config: loadApprovalConfig({}, ['U0BENCHVP']) });
    }
    await runDigest({ store, approvals, ledger: store, writer, outbox, clock, claims, config: loadDigestConfig({}) }, { manual: true });

    const docs = writer.documents;
    const fromModel = docs.filter((d) => d.usage);
    const fallbacks = docs.filter((d) => d.fallbackReason).length;
    const kinds = [...new Set(docs.map((d) => d.kind))].join(', ');
    // Each model has its own cache and system prompt: after its first document, the prompt should be read, never written again.
    const firstOfModel = new Map<string, WrittenDocument>();
    for (const d of fromModel) if (d.usage && !firstOfModel.has(d.usage.model)) firstOfModel.set(d.usage.model, d);
    const firsts = new Set(firstOfModel.values());
    const later = fromModel.filter((d) => !firsts.has(d));
    const read = later.reduce((n, d) => n + (d.usage?.cacheReadTokens ?? 0), 0);
    const written = later.reduce((n, d) => n + (d.usage?.cacheWriteTokens ?? 0), 0);
    const profile: UsageProfile = {};
    const counts: Partial<Record<DocumentKind, number>> = {};
    for (const d of fromModel) {
      const u = d.usage;
      if (!u) continue;
      const p = (profile[d.kind] ??= { model: u.model, inputTokens: 0, outputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: 0, calls: 0 });
      // Steady state: a prompt already cached is read; only each model's first write in the run is a one-off.
      const first = firsts.has(d);
      const cacheRead = u.cacheReadTokens + (first ? u.cacheWriteTokens : 0);
      p.inputTokens += u.inputTokens;
      p.outputTokens += u.outputTokens;
      p.cacheReadTokens += cacheRead;
      p.cacheWriteTokens += first ? 0 : u.cacheWriteTokens;
      p.calls += u.calls;
      counts[d.kind] = (counts[d.kind] ?? 0) + 1;
    }
    for (const [kind, p] of Object.entries(profile)) {
      const n = counts[kind as DocumentKind] ?? 1;
      profile[kind as DocumentKind] = {
        model: p.model,
        inputTokens: p.inputTokens / n,
        outputTokens: p.outputTokens / n,
        cacheWriteTokens: p.cacheWriteTokens / n,
        cacheReadTokens: p.cacheReadTokens / n,
        calls: p.calls / n,
      };
    }
    return {
      profile,
      figures: [
        {
          id: 'writer.calls_per_document',
          label: `Messages API calls per model-written document, ${fromModel.length} of ${docs.length} documents (${kinds}; the rest written exactly by the template), ${fallbacks} fell back to the template`,
          value: round(fake.requests.length / Math.max(1, fromModel.length), 3),
          unit: 'calls',
          target: 1,
          better: 'lower',
        },
        {
          id: 'writer.cache_read_share',
          label:
            'share of the cached system prompt read from cache (not written) after each model’s first document, by the fake API, which caches a prefix of any length (the real one not below a model minimum: see cost.model_usd_day)',
          value: round(read / Math.max(1, read + written), 3),
          unit: 'share',
          target: 1,
          better: 'higher',
        },
      ],
    };
  } finally {
    await fake.stop();
  }
}
