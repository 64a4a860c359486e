import Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import type { WriteRequest, Writer, WrittenDocument } from '../ports/writer';
import { PERSONA } from './persona';
import { buildUserMessage } from './prompt';

export interface AnthropicClientConfig {
  apiKey: string;
  /** Defaults to ANTHROPIC_BASE_URL, then to the SDK's default (https://api.anthropic.com). */
  baseURL?: string;
  /** Per HTTP attempt, until response headers arrive. SDK default is 10 minutes. */
  timeoutMs?: number;
  /** Retries on 408/409/429/5xx and connection errors. SDK default is 2. */
  maxRetries?: number;
}

/**
 * Builds the SDK client with timeout and retries set explicitly (the SDK would otherwise wait up
 * to 10 minutes per attempt). Sends the key as `Authorization: Bearer`.
 */
export function createAnthropicClient({
  apiKey,
  baseURL,
  timeoutMs = 8000,
  maxRetries = 2,
}: AnthropicClientConfig): Anthropic {
  if (!apiKey) throw new TypeError('createAnthropicClient: apiKey is required');
  return new Anthropic({
    apiKey,
    baseURL: baseURL ?? (process.env.ANTHROPIC_BASE_URL || undefined),
    timeout: timeoutMs,
    maxRetries,
  });
}

export const HEADLINE_MAX = 200;
export const HEADING_MAX = 120;
export const BODY_MAX = 1500;
export const SECTIONS_MAX = 6;

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
  headline: z.string().trim().min(1).max(HEADLINE_MAX),
  sections: z
    .array(
      z.object({
        heading: z.string().trim().min(1).max(HEADING_MAX),
        body: z.string().trim().min(1).max(BODY_MAX),
      }),
    )
    .min(1)
    .max(SECTIONS_MAX),
});

export type WriterLog = (msg: string, detail?: object) => void;

export interface ClaudeWriterOptions {
  client: Anthropic;
  model: string;
  /** Stands in whenever Claude fails; normally the template writer. */
  fallback: Writer;
  maxTokens?: number;
  /**
   * Overall budget for one write, retries and retry waits included. The SDK's `timeout` only covers
   * each attempt until response headers arrive, and it honours `retry-after` however long it is,
   * so without this a single write could outlast a Lambda. Default 30 s.
   */
  deadlineMs?: number;
  log?: WriterLog;
}

type Outcome = { ok: true; document: WrittenDocument } | { ok: false; reason: string };

/**
 * Writes a document with one Claude call. On any failure it returns the fallback writer's document
 * with `fallbackReason` set; `write()` never throws.
 */
export class ClaudeWriter implements Writer {
  private readonly client: Anthropic;
  private readonly model: string;
  private readonly fallback: Writer;
  private readonly maxTokens: number;
  private readonly deadlineMs: number;
  private readonly logFn: WriterLog | undefined;

  constructor(options: ClaudeWriterOptions) {
    this.client = options.client;
    this.model = options.model;
    this.fallback = options.fallback;
    this.maxTokens = options.maxTokens ?? 2048;
    this.deadlineMs = options.deadlineMs ?? 30_000;
    this.logFn = options.log;
  }

  get name(): string {
    return `claude:${this.model}`;
  }

  async write(request: WriteRequest): Promise<WrittenDocument> {
    let outcome: Outcome;
    try {
      outcome = await this.attempt(request);
    } catch (err) {
      outcome = { ok: false, reason: describeError(err) };
      this.log('claude_writer.error', { kind: request.kind, model: this.model, ...errorDetail(err) });
    }
    if (outcome.ok) return outcome.document;
    return this.useFallback(request, outcome.reason);
  }

  private async attempt(request: WriteRequest): Promise<Outcome> {
    const params: Anthropic.MessageCreateParamsNonStreaming = {
      model: this.model,
      max_tokens: this.maxTokens,
      system: [{ type: 'text', text: PERSONA, cache_control: { type: 'ephemeral' } }],
      messages: [{ role: 'user', content: buildUserMessage(request) }],
      output_config: { format: { type: 'json_schema', schema: DOCUMENT_JSON_SCHEMA } },
    };
    const message = await this.client.messages.create(params, {
      signal: AbortSignal.timeout(this.deadlineMs),
    });

    // The SDK returns the body as text when the response is not JSON: check the shape we rely on.
    if (typeof message !== 'object' || message === null || !Array.isArray(message.content)) {
      return { ok: false, reason: 'unexpected_response' };
    }
    this.logUsage(request, message);

    if (message.stop_reason === 'refusal') return { ok: false, reason: 'refusal' };
    if (message.stop_reason !== 'end_turn') {
      return { ok: false, reason: `stop_reason_${safeToken(message.stop_reason)}` };
    }
    const text = message.content
      .filter((block): block is Anthropic.TextBlock => block.type === 'text')
      .map((block) => block.text)
      .join('');
    if (!text.trim()) return { ok: false, reason: 'empty_output' };

    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return { ok: false, reason: 'invalid_json' };
    }
    const parsed = modelDocumentSchema.safeParse(json);
    if (!parsed.success) {
      this.log('claude_writer.schema_mismatch', {
        kind: request.kind,
        issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.code}`),
      });
      return { ok: false, reason: 'schema_mismatch' };
    }
    return {
      ok: true,
      document: {
        kind: request.kind,
        headline: parsed.data.headline,
        sections: parsed.data.sections.map((s) => ({ heading: s.heading, body: s.body })),
        // Links always come from the request, never from the model.
        links: request.links.map((link) => ({ ...link })),
        writer: this.name,
      },
    };
  }

  private async useFallback(request: WriteRequest, reason: string): Promise<WrittenDocument> {
    this.log('claude_writer.fallback', { kind: request.kind, model: this.model, reason });
    try {
      const document = await this.fallback.write(request);
      return { ...document, fallbackReason: reason };
    } catch (err) {
      this.log('claude_writer.fallback_failed', { kind: request.kind, reason, ...errorDetail(err) });
      return lastResortDocument(request, `${reason}; fallback_failed`);
    }
  }

  private logUsage(request: WriteRequest, message: Anthropic.Message): void {
    const usage = message.usage;
    this.log('claude_writer.usage', {
      kind: request.kind,
      model: this.model,
      stop_reason: message.stop_reason,
      request_id: (message as { _request_id?: unknown })._request_id ?? null,
      input_tokens: usage?.input_tokens ?? null,
      output_tokens: usage?.output_tokens ?? null,
      cache_creation_input_tokens: usage?.cache_creation_input_tokens ?? null,
      cache_read_input_tokens: usage?.cache_read_input_tokens ?? null,
    });
  }

  private log(msg: string, detail?: object): void {
    if (!this.logFn) return;
    try {
      this.logFn(msg, detail);
    } catch {
      // A broken logger must not break writing.
    }
  }
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

/** Only if the fallback writer itself throws: a grounded, fact-free placeholder. */
function lastResortDocument(request: WriteRequest, reason: string): WrittenDocument {
  return {
    kind: request.kind,
    headline: 'An incident message could not be written.',
    sections: [
      {
        heading: 'What to do',
        body: 'The writers failed for this event. Open the links for the details from the source.',
      },
    ],
    links: request.links.map((link) => ({ ...link })),
    writer: 'none',
    fallbackReason: reason,
  };
}
