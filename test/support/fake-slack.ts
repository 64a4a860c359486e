import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackCall {
  method: string;
  authorization?: string;
  args: Record<string, unknown>;
}

export interface FakeSlack {
  /** Base URL to hand to @slack/web-api (`slackApiUrl`), ending in `/api/`. */
  apiUrl: string;
  calls: SlackCall[];
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
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
      const raw = Buffer.concat(chunks).toString('utf8');
      const args: Record<string, unknown> = {};
      const type = req.headers['content-type'] ?? '';
      if (type.includes('application/json')) Object.assign(args, JSON.parse(raw || '{}'));
      else for (const [key, value] of new URLSearchParams(raw)) args[key] = key === 'blocks' ? JSON.parse(value) : value;
      const failure = failures.get(method);
      if (failure && failure.count > 0) {
        failure.count -= 1;
        res.writeHead(failure.status, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: 'fatal_error' }));
        return;
      }
      calls.push({ method, authorization: req.headers.authorization, args });
      sequence += 1;
      const ts = method === 'chat.update' ? String(args.ts) : `1700000000.${String(sequence).padStart(6, '0')}`;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, channel: args.channel ?? 'C0FAKE', ts }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    calls,
    failNext: (method, count, status) => failures.set(method, { count, status }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
