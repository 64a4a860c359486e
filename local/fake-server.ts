import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/* What the fake vendor servers (Anthropic, Jira) share: loopback only, delayed replies, clean stop. */

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The body parsed as JSON, or undefined when it is empty or not JSON. */
  json: unknown;
}

/** An HTTP server that hands each request to `handle` once its whole body has arrived. */
export function createBufferingServer(handle: (request: ReceivedRequest, res: ServerResponse) => void): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = rawBody ? JSON.parse(rawBody) : undefined;
      } catch {
        json = undefined;
      }
      handle({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, rawBody, json }, res);
    });
  });
}

/** Listens on 127.0.0.1 and a free port; resolves to the base URL. */
export async function listenOnLoopback(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Replies sent after a delay; a reply whose client gave up first (timeout, abort) is dropped. */
export class DelayedReplies {
  private readonly timers = new Set<NodeJS.Timeout>();

  send(res: ServerResponse, delayMs: number, reply: () => void): void {
    if (delayMs <= 0) {
      reply();
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      reply();
    }, delayMs);
    this.timers.add(timer);
    res.on('close', () => {
      clearTimeout(timer);
      this.timers.delete(timer);
    });
  }

  /** Drops pending replies, closes every connection and the server. */
  async stop(server: Server): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
