import type { Server } from 'node:http';
import { createBufferingServer, listenOnLoopback } from '../../local/fake-server';

export interface FakeEventBridge {
  endpoint: string;
  /** Entries accepted, in order. */
  entries: number;
  close(): Promise<void>;
}

/**
 * PutEvents on 127.0.0.1 for the real EventBridge client: accepts every entry and answers
 * as EventBridge does, so ingest and its floor pay a real SDK call (serialise, sign, HTTP).
 */
export async function startFakeEventBridge(): Promise<FakeEventBridge> {
  const fake = { entries: 0 };
  const server: Server = createBufferingServer(({ json }, res) => {
    const entries = ((json as { Entries?: unknown[] } | undefined)?.Entries ?? []).length;
    fake.entries += entries;
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify({ FailedEntryCount: 0, Entries: Array.from({ length: entries }, (_, i) => ({ EventId: `fake-${fake.entries - entries + i}` })) }));
  });
  const endpoint = await listenOnLoopback(server);
  return {
    endpoint,
    get entries() {
      return fake.entries;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
