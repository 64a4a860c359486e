import { createBufferingServer, listenOnLoopback } from '../../local/fake-server';

export interface SlackCall {
  method: string;
  authorization?: string;
  args: Record<string, unknown>;
}

export interface FakeSlack {
  /** Base URL to hand to @slack/web-api (`slackApiUrl`), ending in `/api/`. */
  apiUrl: string;
  /** Calls Slack accepted. */
  calls: SlackCall[];
  /** Every request, the failed ones (retried by the client) included. */
  attempts: SlackCall[];
  /** Makes the next `count` calls to `method` fail with this HTTP status. */
  failNext(method: string, count: number, status: number): void;
  close(): Promise<void>;
}

/**
 * A small Slack Web API on 127.0.0.1 for the real @slack/web-api client: parses the
 * form-encoded bodies it sends (blocks arrive as a JSON string) and answers like Slack.
 */
export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const failures = new Map<string, { count: number; status: number }>();
  let sequence = 0;
  const attempts: SlackCall[] = [];
  const server = createBufferingServer(({ path, headers, rawBody }, res) => {
    const method = path.replace(/^\/api\//, '').split('?')[0] ?? '';
    const args: Record<string, unknown> = {};
    if ((headers['content-type'] ?? '').includes('application/json')) Object.assign(args, JSON.parse(rawBody || '{}'));
    else for (const [key, value] of new URLSearchParams(rawBody)) args[key] = key === 'blocks' ? JSON.parse(value) : value;
    const call = { method, authorization: headers.authorization, args };
    attempts.push(call);
    const failure = failures.get(method);
    if (failure && failure.count > 0) {
      failure.count -= 1;
      res.writeHead(failure.status, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: 'fatal_error' }));
      return;
    }
    calls.push(call);
    sequence += 1;
    const ts = method === 'chat.update' ? String(args.ts) : `1700000000.${String(sequence).padStart(6, '0')}`;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, channel: args.channel ?? 'C0FAKE', ts }));
  });
  const baseUrl = await listenOnLoopback(server);
  return {
    apiUrl: `${baseUrl}/api/`,
    calls,
    attempts,
    failNext: (method, count, status) => failures.set(method, { count, status }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
