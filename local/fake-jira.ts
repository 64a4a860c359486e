import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { createBufferingServer, DelayedReplies, listenOnLoopback } from './fake-server';

/**
 * A small fake of the two Jira Cloud REST v3 calls the write-back makes, on 127.0.0.1 and a
 * random port. It records every request and answers from a queue of replies (one per request,
 * retries included, whatever the path), then by default:
 *   POST /rest/api/3/issue/{key}/comment      → 201 `{ id: '10000', ... }`
 *   POST /rest/api/3/issue/{key}/transitions  → 204
 *   anything else                             → 404 in Jira's error shape
 */

export interface JiraRecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or the raw text if it was not JSON (undefined when empty). */
  body: unknown;
}

export interface FakeJiraReply {
  status: number;
  /** Sent as JSON unless it is a string. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Waits this long before answering (for client timeouts). */
  delayMs?: number;
}

export interface FakeJira {
  /** e.g. http://127.0.0.1:49152, to pass as the client's baseUrl. */
  readonly baseUrl: string;
  readonly requests: JiraRecordedRequest[];
  /** Queue replies, answered in order, one per request; a bare number is that status with no body. */
  reply(...replies: Array<number | FakeJiraReply>): void;
  /** Clears recorded requests and the queue. */
  reset(): void;
  /** Drops pending replies, closes every connection and the server. */
  stop(): Promise<void>;
}

const COMMENT_PATH = /^\/rest\/api\/3\/issue\/[^/]+\/comment$/;
const TRANSITIONS_PATH = /^\/rest\/api\/3\/issue\/[^/]+\/transitions$/;

function defaultReply(method: string, path: string): FakeJiraReply {
  if (method === 'POST' && COMMENT_PATH.test(path)) {
    return { status: 201, body: { id: '10000', self: 'fake', created: new Date(0).toISOString() } };
  }
  if (method === 'POST' && TRANSITIONS_PATH.test(path)) return { status: 204 };
  return { status: 404, body: { errorMessages: ['fake-jira: no such resource'], errors: {} } };
}

function send(res: ServerResponse, reply: FakeJiraReply): void {
  if (res.destroyed || res.writableEnded) return;
  if (reply.body === undefined) {
    res.writeHead(reply.status, { ...reply.headers });
    res.end();
    return;
  }
  const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'content-type': 'application/json;charset=UTF-8', ...reply.headers });
  res.end(text);
}

export async function startFakeJira(): Promise<FakeJira> {
  const requests: JiraRecordedRequest[] = [];
  let queue: FakeJiraReply[] = [];
  const delayed = new DelayedReplies();

  const server = createBufferingServer(({ method, path, headers, rawBody, json }, res) => {
    // A body that is not JSON is recorded as text.
    requests.push({ method, path, headers, body: json ?? (rawBody || undefined) });
    const reply = queue.shift() ?? defaultReply(method, path.split('?')[0] ?? '');
    delayed.send(res, reply.delayMs ?? 0, () => send(res, reply));
  });

  const baseUrl = await listenOnLoopback(server);

  return {
    baseUrl,
    requests,
    reply: (...replies) => {
      queue.push(...replies.map((reply) => (typeof reply === 'number' ? { status: reply } : reply)));
    },
    reset: () => {
      requests.length = 0;
      queue = [];
    },
    stop: () => delayed.stop(server),
  };
}
