import type { ServerResponse } from 'node:http';
import { createBufferingServer, DelayedReplies, listenOnLoopback } from '../../local/fake-server';

export interface SlackCall {
  method: string;
  authorization?: string;
  args: Record<string, unknown>;
}

/** A message as the fake channel holds it. */
export interface FakeSlackMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  text: string;
  blocks?: unknown;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

export interface FakeSlack {
  /** Base URL to hand to @slack/web-api (`slackApiUrl`), ending in `/api/`. */
  apiUrl: string;
  /** Calls Slack accepted. */
  calls: SlackCall[];
  /** Every request, the failed ones (retried by the client) included. */
  attempts: SlackCall[];
  /** What the channels hold now, in posting order (updates applied in place). */
  messages: FakeSlackMessage[];
  /** Makes the next `count` calls to `method` fail with this HTTP status. */
  failNext(method: string, count: number, status: number): void;
  /** Every call fails with `status` (e.g. 503: Slack is down) until `up()`. */
  down(status?: number): void;
  up(): void;
  /**
   * Registers a channel for `conversations.info`; a post to it while the app is not a member
   * is refused as Slack does (`not_in_channel`, or `channel_not_found` when private), and to an
   * archived one with `is_archived`. Channels never registered accept posts as before.
   */
  channel(id: string, info: FakeChannel): void;
  /** Every call answers `ok: false` with this error (e.g. `invalid_auth`) until called with undefined. */
  refuseAll(error: string | undefined): void;
  /** Only calls made with this bot token are accepted; any other answers `invalid_auth`, as Slack does for a rotated-out token. Undefined accepts any. */
  acceptOnlyToken(token: string | undefined): void;
  /** The next `count` calls to `method` answer 429 with `Retry-After: retryAfterSeconds`. */
  rateLimitNext(method: string, count: number, retryAfterSeconds: number): void;
  /**
   * The next `count` calls to `method` are carried out at once but answered `delayMs` later
   * (a reply whose client has given up is dropped): Slack accepting a post and answering late.
   */
  answerLateNext(method: string, count: number, delayMs: number): void;
  close(): Promise<void>;
}

export interface FakeSlackOptions {
  /** The clock message ts are taken from (a test's virtual clock); real time by default. */
  now?: () => number;
  /** The scopes `auth.test` reports in its `x-oauth-scopes` header, as Slack does. */
  scopes?: readonly string[];
}

export interface FakeChannel {
  name: string;
  isMember: boolean;
  isPrivate?: boolean;
  isArchived?: boolean;
}

/**
 * A small Slack Web API on 127.0.0.1 for the real @slack/web-api client: parses the
 * form-encoded bodies it sends (blocks and metadata arrive as JSON strings), keeps the
 * messages it posts, answers `conversations.history` / `.replies` from them (metadata only
 * with `include_all_metadata`, as Slack does), and fails on purpose when told to.
 */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const now = options.now ?? Date.now;
  const calls: SlackCall[] = [];
  const attempts: SlackCall[] = [];
  const messages: FakeSlackMessage[] = [];
  const failures = new Map<string, { count: number; status: number }>();
  const rateLimits = new Map<string, { count: number; retryAfter: number }>();
  const late = new Map<string, { count: number; delayMs: number }>();
  const delayed = new DelayedReplies();
  const channels = new Map<string, FakeChannel>();
  let refusal: string | undefined;
  let acceptedToken: string | undefined;
  let downStatus: number | undefined;
  let sequence = 0;

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  const take = <T extends { count: number }>(map: Map<string, T>, method: string): T | undefined => {
    const entry = map.get(method);
    if (!entry || entry.count <= 0) return undefined;
    entry.count -= 1;
    return entry;
  };

  const server = createBufferingServer(({ path, headers, rawBody }, res) => {
    const method = path.replace(/^\/api\//, '').split('?')[0] ?? '';
    const args: Record<string, unknown> = {};
    if ((headers['content-type'] ?? '').includes('application/json')) Object.assign(args, JSON.parse(rawBody || '{}'));
    else for (const [key, value] of new URLSearchParams(rawBody)) args[key] = key === 'blocks' || key === 'metadata' ? JSON.parse(value) : value;
    const call = { method, authorization: headers.authorization, args };
    attempts.push(call);
    if (downStatus !== undefined) return json(res, downStatus, { ok: false, error: 'service_unavailable' });
    const failure = take(failures, method);
    if (failure) return json(res, failure.status, { ok: false, error: 'fatal_error' });
    const limited = take(rateLimits, method);
    if (limited) return json(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(limited.retryAfter) });
    if (refusal) return json(res, 200, { ok: false, error: refusal });
    if (acceptedToken !== undefined && headers.authorization !== `Bearer ${acceptedToken}`) return json(res, 200, { ok: false, error: 'invalid_auth' });
    const refused = channelRefusal(method, String(args.channel ?? ''));
    if (refused) return json(res, 200, { ok: false, error: refused });
    calls.push(call);
    if (method === 'auth.test') {
      const scopes = { 'x-oauth-scopes': (options.scopes ?? []).join(',') };
      return json(
        res,
        200,
        { ok: true, url: 'https://fake.slack.test/', team: 'Fake', user: 'exec-eng-lead', team_id: 'T0FAKE', user_id: 'U0BOT', bot_id: 'B0BOT' },
        scopes,
      );
    }
    const answer = handle(method, args);
    const lateness = take(late, method);
    delayed.send(res, lateness?.delayMs ?? 0, () => json(res, 200, answer));
  });

  /** What Slack answers a call about a registered channel the app may not use. */
  function channelRefusal(method: string, id: string): string | undefined {
    const known = channels.get(id);
    if (method === 'conversations.info') return known || !id ? undefined : 'channel_not_found';
    if (!known || !/^(chat\.|conversations\.(history|replies))/.test(method)) return undefined;
    if (known.isArchived && method.startsWith('chat.')) return 'is_archived';
    if (!known.isMember) return known.isPrivate ? 'channel_not_found' : 'not_in_channel';
    return undefined;
  }

  function handle(method: string, args: Record<string, unknown>): Record<string, unknown> {
    if (method === 'conversations.info') {
      const id = String(args.channel);
      const known = channels.get(id) as FakeChannel;
      return {
        ok: true,
        channel: { id, name: known.name, is_member: known.isMember, is_private: known.isPrivate ?? false, is_archived: known.isArchived ?? false },
      };
    }
    const channel = String(args.channel ?? 'C0FAKE');
    if (method === 'chat.postMessage') {
      sequence += 1;
      // Slack ts: epoch seconds and a unique six-digit suffix.
      const ts = `${Math.floor(now() / 1000)}.${String(sequence).padStart(6, '0')}`;
      messages.push({
        channel,
        ts,
        ...(args.thread_ts ? { thread_ts: String(args.thread_ts) } : {}),
        text: String(args.text ?? ''),
        blocks: args.blocks,
        ...(args.metadata ? { metadata: args.metadata as FakeSlackMessage['metadata'] } : {}),
      });
      return { ok: true, channel, ts };
    }
    if (method === 'chat.update') {
      const message = messages.find((m) => m.channel === channel && m.ts === String(args.ts));
      if (!message) return { ok: false, error: 'message_not_found' };
      Object.assign(message, { text: String(args.text ?? ''), blocks: args.blocks });
      return { ok: true, channel, ts: message.ts };
    }
    if (method === 'conversations.history' || method === 'conversations.replies') {
      const withMetadata = String(args.include_all_metadata) === 'true';
      const oldest = Number(args.oldest ?? 0);
      const inChannel = messages.filter((m) => m.channel === channel && Number(m.ts) >= oldest);
      const found =
        method === 'conversations.history'
          ? inChannel.filter((m) => !m.thread_ts).reverse()
          : inChannel.filter((m) => m.ts === String(args.ts) || m.thread_ts === String(args.ts));
      const start = Number(args.cursor ?? 0);
      const limit = Number(args.limit ?? 100);
      const page = found
        .slice(start, start + limit)
        .map(({ metadata, ...rest }) => ({ type: 'message', ...rest, ...(withMetadata && metadata ? { metadata } : {}) }));
      const next = start + limit < found.length ? String(start + limit) : '';
      return { ok: true, messages: page, has_more: next !== '', response_metadata: { next_cursor: next } };
    }
    sequence += 1;
    return { ok: true, channel, ts: `${Math.floor(now() / 1000)}.${String(sequence).padStart(6, '0')}` };
  }

  const baseUrl = await listenOnLoopback(server);
  return {
    apiUrl: `${baseUrl}/api/`,
    calls,
    attempts,
    messages,
    failNext: (method, count, status) => failures.set(method, { count, status }),
    acceptOnlyToken: (token) => {
      acceptedToken = token;
    },
    down: (status = 503) => {
      downStatus = status;
    },
    up: () => {
      downStatus = undefined;
    },
    channel: (id, info) => channels.set(id, info),
    refuseAll: (error) => {
      refusal = error;
    },
    rateLimitNext: (method, count, retryAfter) => rateLimits.set(method, { count, retryAfter }),
    answerLateNext: (method, count, delayMs) => late.set(method, { count, delayMs }),
    close: () => delayed.stop(server),
  };
}
