import Anthropic from '@anthropic-ai/sdk';
import * as z from 'zod/mini';
import type { Clock } from '../ports/clock';
import type { TokenLedger } from '../ports/token-ledger';
import type { DocumentSection, TokenUsage, WriteRequest, WriteUsage, Writer, WrittenDocument } from '../ports/writer';
import { structuralProblems } from './document-kinds';
import { checkGrounding, describeViolation } from './grounding';
import { kindSpecs } from '../documents/registry';
import { systemPromptFor } from './system-prompt';
import { PERSONA_CACHE_TTL } from './prompt-cache';
import { addUsage, estimateCostUsd, NO_USAGE } from './pricing';
import { buildCorrectionMessage, buildUserMessage } from './prompt';
import { lastResortDocument, templateOrNothing } from './last-resort';
import { type ModelChoice, modelChoice, routeFor, TEMPLATE_ROUTE } from './writer-route';

export interface AnthropicClientConfig {
  apiKey: string;
  /** Defaults to ANTHROPIC_BASE_URL, then to the SDK's default (https://api.anthropic.com). */
  baseURL?: string;
  /** Per HTTP attempt, until response headers arrive. SDK default is 10 minutes. */
  timeoutMs?: number;
  /** Retries on 408/409/429/5xx and connection errors. SDK default is 2. */
  maxRetries?: number;
  /** In Lambda, `anthropicKeyFetch`: the current key on every request, re-read once on a 401. */
  fetch?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
}

/**
 * Builds the SDK client with timeout and retries set explicitly (the SDK would otherwise wait up
 * to 10 minutes per attempt). Sends the key as `Authorization: Bearer`.
 */
export function createAnthropicClient({ apiKey, baseURL, timeoutMs = 8000, maxRetries = 2, fetch }: AnthropicClientConfig): Anthropic {
  if (!apiKey) throw new TypeError('createAnthropicClient: apiKey is required');
  return new Anthropic({
    apiKey,
    baseURL: baseURL ?? (process.env.ANTHROPIC_BASE_URL || undefined),
    timeout: timeoutMs,
    maxRetries,
    ...(fetch ? { fetch } : {}),
  });
}

export const HEADLINE_MAX = 200;
export const HEADING_MAX = 120;
export const BODY_MAX = 1500;
export const SECTIONS_MAX = 8;

/**
 * The structured-output schema sent in `output_config.format`. Structured outputs accept only a
 * subset of JSON Schema (no maxLength/maxItems; minItems only 0 or 1), so the bounds are stated in
 * descriptions and enforced by `modelDocumentSchema` on the way back.
 */
export const DOCUMENT_JSON_SCHEMA = {
  type: 'object',
  properties: {
    headline: {
      type: 'string',
      description: `One plain-text sentence, at most ${HEADLINE_MAX} characters, leading with the most important thing.`,
    },
    sections: {
      type: 'array',
      description: `Between 1 and ${SECTIONS_MAX} sections.`,
      minItems: 1,
      items: {
        type: 'object',
        properties: {
          heading: {
            type: 'string',
            description: `A short heading, at most ${HEADING_MAX} characters, e.g. "Impact" or "Next step".`,
          },
          body: {
            type: 'string',
            description: `Plain text, at most ${BODY_MAX} characters. No Markdown, Slack markup or URLs.`,
          },
        },
        required: ['heading', 'body'],
        additionalProperties: false,
      },
    },
  },
  required: ['headline', 'sections'],
  additionalProperties: false,
} as const;

/** What we accept back from the model. */
export const modelDocumentSchema = z.object({
  headline: z.string().check(z.trim(), z.minLength(1), z.maxLength(HEADLINE_MAX)),
  sections: z
    .array(
      z.object({
        heading: z.string().check(z.trim(), z.minLength(1), z.maxLength(HEADING_MAX)),
        body: z.string().check(z.trim(), z.minLength(1), z.maxLength(BODY_MAX)),
      }),
    )
    .check(z.minLength(1), z.maxLength(SECTIONS_MAX)),
});

/** `level` lets a routine figure (token usage) log below the caller's default level. */
export type WriterLog = (msg: string, detail?: object, level?: 'info' | 'warn') => void;

export interface WriterBudget {
  ledger: TokenLedger;
  /** Tokens (input, output, cache writes and reads) the writer may use per UTC day. */
  dailyTokens: number;
  clock: Clock;
}

export interface ClaudeWriterOptions {
  client: Anthropic;
  /** The standard tier's model (Sonnet-class): kinds whose spec says `model: 'standard'`. */
  model: string;
  /** The fast tier's model (Haiku-class), for kinds whose spec says `model: 'fast'`; DEFAULT_TIER_MODELS.fast by default. */
  fastModel?: string;
  /**
   * Overrides by kind (the standard model for closing briefs too) or by kind and change
   * (`changeKey`, writer-route.ts): a model id, or `template`.
   */
  models?: Readonly<Record<string, string>>;
  /** Writes what the routing gives the template, and stands in whenever Claude fails; normally the template writer. */
  fallback: Writer;
  /** Output limit of every call; by default each kind's own (`spec.maxOutputTokens`), which fits its sections. */
  maxTokens?: number;
  /**
   * Overall budget for one document, both calls, retries and retry waits included. The SDK's
   * `timeout` only covers each attempt until response headers arrive, and it honours
   * `retry-after` however long it is, so without this a write could outlast its Lambda
   * (60 s for the workers). Default 40 s.
   */
  deadlineMs?: number;
  /** Without it there is no daily cap (tests, eval). */
  budget?: WriterBudget;
  log?: WriterLog;
}

type Draft = { ok: true; text: string; usage: TokenUsage } | { ok: false; reason: string; usage: TokenUsage };

/**
 * Writes a document with Claude: one call, then checks the draft. A draft with missing
 * sections, an overrun or ungrounded claims gets exactly one corrective call listing the
 * problems; a second failure, an answer that is not the JSON asked for (invalid JSON, schema
 * mismatch, refusal, truncation), an API failure or a spent daily budget hands the request to
 * the fallback (template) writer, and the document says why. `write()` never throws.
 */
export class ClaudeWriter implements Writer {
  private readonly client: Anthropic;
  private readonly choice: ModelChoice;
  private readonly fallback: Writer;
  private readonly maxTokens: number | undefined;
  private readonly deadlineMs: number;
  private readonly budget: WriterBudget | undefined;
  private readonly logFn: WriterLog | undefined;
  /** Models that answered with nothing written to or read from the prompt cache: said once each. */
  private readonly uncachedModels = new Set<string>();

  constructor(options: ClaudeWriterOptions) {
    this.client = options.client;
    this.choice = modelChoice(options.model, options.models, options.fastModel);
    this.fallback = options.fallback;
    this.maxTokens = options.maxTokens;
    this.deadlineMs = options.deadlineMs ?? 40_000;
    this.budget = options.budget;
    this.logFn = options.log;
  }

  async write(request: WriteRequest): Promise<WrittenDocument> {
    const model = routeFor(request, this.choice);
    // Facts the template states exactly (an acknowledgement, a new priority): no model call, no fallback reason.
    if (model === TEMPLATE_ROUTE) return this.writeWithTemplate(request);
    const day = this.budget?.clock.now().toISOString().slice(0, 10);
    if (this.budget && day && (await this.budgetSpent(day))) {
      await this.quietly(() => this.budget?.ledger.recordBudgetFallback(day));
      return this.useFallback(request, model, 'daily_token_budget_reached', {});
    }

    let usage = NO_USAGE;
    let calls = 0;
    const violations: string[] = [];
    const extras = () => ({ usage: this.usageOf(model, usage, calls), violations });
    try {
      const signal = AbortSignal.timeout(this.deadlineMs);
      const messages: Anthropic.MessageParam[] = [{ role: 'user', content: buildUserMessage(request) }];
      for (let attempt = 1; ; attempt += 1) {
        const draft = await this.call(request, model, messages, signal);
        usage = addUsage(usage, draft.usage);
        calls += 1;
        if (!draft.ok) return await this.useFallback(request, model, draft.reason, extras());

        const parsed = parseDraft(draft.text);
        if (!parsed.ok) return await this.useFallback(request, model, parsed.reason, extras());
        const grounding = checkGrounding(parsed.document, request);
        const problems = [...structuralProblems(request.kind, parsed.document), ...grounding.map(describeViolation)];
        if (problems.length === 0) {
          return {
            kind: request.kind,
            headline: parsed.document.headline,
            sections: parsed.document.sections,
            // Links always come from the request, never from the model.
            links: request.links.map((link) => ({ ...link })),
            writer: `claude:${model}`,
            ...(violations.length > 0 ? { violations } : {}),
            usage: this.usageOf(model, usage, calls),
          };
        }
        violations.push(...problems.map((problem) => `draft ${attempt}: ${problem}`));
        this.log('claude_writer.draft_rejected', { kind: request.kind, model, attempt, problems: problems.length, grounding: grounding.length });
        if (attempt === 2) {
          return await this.useFallback(request, model, grounding.length > 0 ? 'grounding_failed' : 'structure_failed', extras());
        }
        messages.push({ role: 'assistant', content: draft.text }, { role: 'user', content: buildCorrectionMessage(problems) });
      }
    } catch (err) {
      this.log('claude_writer.error', { kind: request.kind, model, ...errorDetail(err) });
      return this.useFallback(request, model, describeError(err), extras());
    } finally {
      if (this.budget && day && calls > 0) {
        const spent = this.usageOf(model, usage, calls);
        await this.quietly(() => this.budget?.ledger.record(day, usage, spent.estimatedCostUsd, calls));
      }
    }
  }

  /** One Messages call; the reply text, or why there is none. */
  private async call(request: WriteRequest, model: string, messages: Anthropic.MessageParam[], signal: AbortSignal): Promise<Draft> {
    const message = await this.client.messages.create(
      {
        model,
        max_tokens: this.maxTokens ?? kindSpecs[request.kind].maxOutputTokens,
        // One block, the same for every kind this model writes: one cache entry per model serves them all.
        system: [{ type: 'text', text: systemPromptFor(model), cache_control: { type: 'ephemeral', ttl: PERSONA_CACHE_TTL } }],
        messages,
        output_config: { format: { type: 'json_schema', schema: DOCUMENT_JSON_SCHEMA } },
      },
      { signal },
    );
    // The SDK returns the body as text when the response is not JSON: check the shape we rely on.
    if (typeof message !== 'object' || message === null || !Array.isArray(message.content)) {
      return { ok: false, reason: 'unexpected_response', usage: NO_USAGE };
    }
    const usage: TokenUsage = {
      inputTokens: message.usage?.input_tokens ?? 0,
      outputTokens: message.usage?.output_tokens ?? 0,
      cacheWriteTokens: message.usage?.cache_creation_input_tokens ?? 0,
      ...(message.usage?.cache_creation?.ephemeral_1h_input_tokens ? { cacheWrite1hTokens: message.usage.cache_creation.ephemeral_1h_input_tokens } : {}),
      cacheReadTokens: message.usage?.cache_read_input_tokens ?? 0,
    };
    this.log(
      'claude_writer.usage',
      {
        kind: request.kind,
        model,
        stop_reason: message.stop_reason,
        request_id: (message as { _request_id?: unknown })._request_id ?? null,
        ...usage,
      },
      'info',
    );
    if (usage.cacheWriteTokens === 0 && usage.cacheReadTokens === 0 && !this.uncachedModels.has(model)) {
      this.uncachedModels.add(model);
      // Below the model's minimum cacheable prefix the API caches nothing and bills the persona in full (prompt-cache.ts).
      this.log('claude_writer.persona_not_cached', { model, input_tokens: usage.inputTokens });
    }
    if (message.stop_reason === 'refusal') return { ok: false, reason: 'refusal', usage };
    if (message.stop_reason !== 'end_turn') return { ok: false, reason: `stop_reason_${safeToken(message.stop_reason)}`, usage };
    const text = message.content
      .filter((block): block is Anthropic.TextBlock => block.type === 'text')
      .map((block) => block.text)
      .join('');
    return text.trim() ? { ok: true, text, usage } : { ok: false, reason: 'empty_output', usage };
  }

  private async budgetSpent(day: string): Promise<boolean> {
    if (!this.budget) return false;
    try {
      const spend = await this.budget.ledger.spend(day);
      return spend.totalTokens >= this.budget.dailyTokens;
    } catch (err) {
      // The ledger being down must not stop documents; the cap is a cost guard, not a gate.
      this.log('claude_writer.budget_unreadable', errorDetail(err));
      return false;
    }
  }

  private usageOf(model: string, usage: TokenUsage, calls: number): WriteUsage {
    return { model, calls, ...usage, estimatedCostUsd: estimateCostUsd(model, usage) };
  }

  private async writeWithTemplate(request: WriteRequest): Promise<WrittenDocument> {
    const document = await templateOrNothing(this.fallback, request, (err) =>
      this.log('claude_writer.template_failed', { kind: request.kind, ...errorDetail(err) }),
    );
    return document ?? lastResortDocument(request, 'template_failed');
  }

  private async useFallback(
    request: WriteRequest,
    model: string,
    reason: string,
    extras: { usage?: WriteUsage; violations?: string[] },
  ): Promise<WrittenDocument> {
    this.log('claude_writer.fallback', { kind: request.kind, model, reason });
    const recorded = {
      ...(extras.usage && extras.usage.calls > 0 ? { usage: extras.usage } : {}),
      ...(extras.violations && extras.violations.length > 0 ? { violations: extras.violations } : {}),
    };
    const document = await templateOrNothing(this.fallback, request, (err) =>
      this.log('claude_writer.fallback_failed', { kind: request.kind, reason, ...errorDetail(err) }),
    );
    return document ? { ...document, fallbackReason: reason, ...recorded } : { ...lastResortDocument(request, `${reason}; fallback_failed`), ...recorded };
  }

  private async quietly(action: () => Promise<unknown> | undefined): Promise<void> {
    try {
      await action();
    } catch (err) {
      this.log('claude_writer.ledger_failed', errorDetail(err));
    }
  }

  private log(msg: string, detail?: object, level?: 'info' | 'warn'): void {
    if (!this.logFn) return;
    try {
      this.logFn(msg, detail, level);
    } catch {
      // A broken logger must not break writing.
    }
  }
}

type Parsed = { ok: true; document: { headline: string; sections: DocumentSection[] } } | { ok: false; reason: string };

function parseDraft(text: string): Parsed {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'invalid_json' };
  }
  const parsed = modelDocumentSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: 'schema_mismatch' };
  return { ok: true, document: { headline: parsed.data.headline, sections: parsed.data.sections.map((s) => ({ heading: s.heading, body: s.body })) } };
}

/** A short, secret-free reason for a failed call (never the error body). */
export function describeError(err: unknown): string {
  if (err instanceof Anthropic.APIUserAbortError) return 'deadline_exceeded';
  if (err instanceof Anthropic.APIConnectionTimeoutError) return 'timeout';
  if (err instanceof Anthropic.APIConnectionError) return 'connection_error';
  if (err instanceof Anthropic.APIError) {
    const type = apiErrorType(err);
    return `api_error_${err.status ?? 'unknown'}${type ? `_${type}` : ''}`;
  }
  if (err instanceof Anthropic.AnthropicError) return 'client_error';
  if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')) {
    return 'deadline_exceeded';
  }
  return 'unexpected_error';
}

function apiErrorType(err: InstanceType<typeof Anthropic.APIError>): string | undefined {
  const body = err.error as { error?: { type?: unknown } } | undefined;
  const type = body?.error?.type;
  return typeof type === 'string' && /^[a-z_]{1,40}$/.test(type) ? type : undefined;
}

/** Names and codes only: safe to log. */
function errorDetail(err: unknown): object {
  if (err instanceof Anthropic.APIError) {
    return { error: err.constructor.name, status: err.status ?? null, request_id: err.requestID ?? null };
  }
  return { error: err instanceof Error ? err.name : typeof err };
}

function safeToken(value: unknown): string {
  return typeof value === 'string' && /^[a-z_]{1,40}$/.test(value) ? value : 'unknown';
}
