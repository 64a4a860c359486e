import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type Anthropic from '@anthropic-ai/sdk';
import { createBufferingServer, DelayedReplies, listenOnLoopback } from './fake-server';

/**
 * A small fake of the Anthropic Messages API (POST /v1/messages) on 127.0.0.1 and a random port,
 * for standing the real SDK client against in tests and in `npm run eval`. It records every
 * request and answers from a queue of replies, then from a fallback reply.
 *
 * Unless a reply sets `usage`, token counts are modelled: about four characters per token, and a
 * system block marked `cache_control` is a cache write the first time this server sees it and a
 * cache read after that, as the real API's prompt cache behaves within its lifetime.
 */

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** Parsed JSON body, or undefined if it was not JSON. */
  body: unknown;
}

export interface FakeUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  /** The split of `cache_creation_input_tokens` by TTL; all 5-minute when absent. */
  cache_creation?: { ephemeral_5m_input_tokens: number; ephemeral_1h_input_tokens: number };
}

export type FakeReply =
  /** A Messages API `Message` with one text block. */
  | {
      type: 'message';
      text: string;
      stopReason?: Anthropic.StopReason;
      usage?: Partial<FakeUsage>;
      delayMs?: number;
    }
  /** A turn that calls tools: one `tool_use` block per call (after an optional text block), stop reason `tool_use`. */
  | {
      type: 'tool_use';
      calls: { name: string; input: unknown; id?: string }[];
      text?: string;
      usage?: Partial<FakeUsage>;
      delayMs?: number;
    }
  /** An API error in the API's error shape. */
  | {
      type: 'error';
      status: number;
      errorType?: string;
      message?: string;
      headers?: Record<string, string>;
      delayMs?: number;
    }
  /** Sends 200 and the headers, then never finishes the body. */
  | { type: 'stall_body' }
  | { type: 'raw'; status: number; headers?: Record<string, string>; body: string; delayMs?: number };

export type FakeHandler = (request: RecordedRequest, index: number) => FakeReply;

export interface FakeAnthropic {
  /** e.g. http://127.0.0.1:49152, to pass as the client's baseURL. */
  readonly baseURL: string;
  readonly requests: RecordedRequest[];
  /** Queue replies, answered in order, one per request (retries included). */
  reply(...replies: FakeReply[]): void;
  /** What to answer once the queue is empty. Default: a non-retryable 500 saying nothing is queued. */
  otherwise(reply: FakeReply | FakeHandler): void;
  /** Clears recorded requests, the queue, the `otherwise` reply and the modelled prompt cache. */
  reset(): void;
  /** Drops pending replies, closes every connection and the server. */
  stop(): Promise<void>;
}

/** About four characters per token: close enough for English prose and JSON. */
function tokensIn(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Models the usage the real API would report for this request and reply text. */
function modelledUsage(body: unknown, replyText: string, cached: Set<string>): FakeUsage {
  const request = body as { system?: Array<{ text?: string; cache_control?: { ttl?: string } }>; messages?: Array<{ content?: unknown }> } | undefined;
  let cacheWrite = 0;
  let cacheWrite1h = 0;
  let cacheRead = 0;
  let input = 0;
  for (const block of request?.system ?? []) {
    const text = block.text ?? '';
    if (!block.cache_control) input += tokensIn(text);
    else if (cached.has(text)) cacheRead += tokensIn(text);
    else {
      cached.add(text);
      cacheWrite += tokensIn(text);
      if (block.cache_control.ttl === '1h') cacheWrite1h += tokensIn(text);
    }
  }
  for (const message of request?.messages ?? []) {
    input += tokensIn(typeof message.content === 'string' ? message.content : JSON.stringify(message.content ?? ''));
  }
  return {
    input_tokens: input,
    output_tokens: tokensIn(replyText),
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
    cache_creation: { ephemeral_5m_input_tokens: cacheWrite - cacheWrite1h, ephemeral_1h_input_tokens: cacheWrite1h },
  };
}

/** A reply that calls tools, e.g. `toolUseReply({ name: 'dora', input: { period: 'this_month' } })`. */
export function toolUseReply(...calls: { name: string; input: unknown; id?: string }[]): FakeReply {
  return { type: 'tool_use', calls };
}

/** A `message` reply whose text is `JSON.stringify(document)` (or the string as given). */
export function messageReply(document: unknown, options: Omit<Extract<FakeReply, { type: 'message' }>, 'type' | 'text'> = {}): FakeReply {
  const text = typeof document === 'string' ? document : JSON.stringify(document);
  return { type: 'message', text, ...options };
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

/**
 * An error reply. Retryable statuses carry `retry-after-ms: 10` unless `headers` says otherwise,
 * so the SDK's backoff (0.5 s, 1 s, ...) does not slow the tests; the SDK obeys that header.
 */
export function errorReply(status: number, options: Omit<Extract<FakeReply, { type: 'error' }>, 'type' | 'status'> = {}): FakeReply {
  return { type: 'error', status, ...options };
}

export async function startFakeAnthropic(): Promise<FakeAnthropic> {
  const requests: RecordedRequest[] = [];
  let queue: FakeReply[] = [];
  let fallback: FakeReply | FakeHandler | undefined;
  const delayed = new DelayedReplies();
  let messageCount = 0;
  const cachedPrefixes = new Set<string>();

  const send = (res: ServerResponse, request: RecordedRequest, reply: FakeReply): void => {
    if (res.destroyed || res.writableEnded) return;
    const requestId = `req_fake_${String(requests.length).padStart(4, '0')}`;
    switch (reply.type) {
      case 'message':
      case 'tool_use': {
        messageCount += 1;
        const body = request.body as { model?: unknown } | undefined;
        const replyText = reply.type === 'message' ? reply.text : JSON.stringify(reply.calls);
        // A reply's own usage replaces the modelled one whole, TTL split included.
        const usage = reply.usage
          ? { ...modelledUsage(request.body, replyText, cachedPrefixes), cache_creation: undefined, ...reply.usage }
          : modelledUsage(request.body, replyText, cachedPrefixes);
        const content: Anthropic.ContentBlock[] =
          reply.type === 'message'
            ? [{ type: 'text', text: reply.text, citations: null }]
            : [
                ...(reply.text ? [{ type: 'text' as const, text: reply.text, citations: null }] : []),
                ...reply.calls.map((call, i) => ({
                  type: 'tool_use' as const,
                  id: call.id ?? `toolu_fake_${messageCount}_${i}`,
                  name: call.name,
                  input: call.input,
                  caller: { type: 'direct' as const },
                })),
              ];
        const message = {
          id: `msg_fake_${String(messageCount).padStart(4, '0')}`,
          type: 'message',
          role: 'assistant',
          model: typeof body?.model === 'string' ? body.model : 'claude-fake',
          content,
          stop_reason: reply.type === 'tool_use' ? 'tool_use' : (reply.stopReason ?? 'end_turn'),
          stop_sequence: null,
          stop_details: null,
          container: null,
          diagnostics: null,
          usage: {
            ...usage,
            cache_creation: usage.cache_creation ?? { ephemeral_5m_input_tokens: usage.cache_creation_input_tokens, ephemeral_1h_input_tokens: 0 },
            inference_geo: null,
            output_tokens_details: null,
            server_tool_use: null,
            service_tier: 'standard',
            speed: null,
          },
        } satisfies Anthropic.Message;
        res.writeHead(200, { 'content-type': 'application/json', 'request-id': requestId });
        res.end(JSON.stringify(message));
        return;
      }
      case 'error': {
        const retryable = reply.status === 408 || reply.status === 409 || reply.status === 429 || reply.status >= 500;
        res.writeHead(reply.status, {
          'content-type': 'application/json',
          'request-id': requestId,
          ...(retryable ? { 'retry-after-ms': '10' } : {}),
          ...reply.headers,
        });
        res.end(
          JSON.stringify({
            type: 'error',
            error: {
              type: reply.errorType ?? ERROR_TYPES[reply.status] ?? 'api_error',
              message: reply.message ?? `fake error ${reply.status}`,
            },
            request_id: requestId,
          }),
        );
        return;
      }
      case 'stall_body': {
        res.writeHead(200, { 'content-type': 'application/json', 'request-id': requestId });
        res.write('{"id":"msg_fake_stalled",');
        return; // never ends; stop() closes the connection
      }
      case 'raw': {
        res.writeHead(reply.status, { 'request-id': requestId, ...reply.headers });
        res.end(reply.body);
        return;
      }
    }
  };

  const server = createBufferingServer((received, res) => {
    const { json, ...rest } = received;
    const recorded: RecordedRequest = { ...rest, body: json };
    const index = requests.length;
    requests.push(recorded);

    if (recorded.method !== 'POST' || recorded.path.split('?')[0] !== '/v1/messages') {
      send(res, recorded, {
        type: 'error',
        status: 404,
        errorType: 'not_found_error',
        headers: { 'x-should-retry': 'false' },
      });
      return;
    }
    const queued = queue.shift();
    const reply: FakeReply = queued ??
      (typeof fallback === 'function' ? fallback(recorded, index) : fallback) ?? {
        type: 'error',
        status: 500,
        message: 'fake-anthropic: no reply queued',
        headers: { 'x-should-retry': 'false' },
      };
    const delayMs = 'delayMs' in reply ? (reply.delayMs ?? 0) : 0;
    delayed.send(res, delayMs, () => send(res, recorded, reply));
  });

  const baseUrl = await listenOnLoopback(server);

  const fake: FakeAnthropic = {
    baseURL: baseUrl,
    requests,
    reply: (...replies) => {
      queue.push(...replies);
    },
    otherwise: (reply) => {
      fallback = reply;
    },
    reset: () => {
      requests.length = 0;
      queue = [];
      fallback = undefined;
      cachedPrefixes.clear();
    },
    stop: () => delayed.stop(server),
  };
  return fake;
}

export async function stopFakeAnthropic(fake: FakeAnthropic | undefined): Promise<void> {
  await fake?.stop();
}

/** The user message text of a recorded Messages request (string or text blocks). */
export function userMessageText(request: RecordedRequest): string {
  const body = request.body as { messages?: Array<{ role?: string; content?: unknown }> } | undefined;
  const user = body?.messages?.find((m) => m.role === 'user');
  const content = user?.content;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((block) => (block && typeof block === 'object' && 'text' in block ? String(block.text) : '')).join('');
  }
  return '';
}
