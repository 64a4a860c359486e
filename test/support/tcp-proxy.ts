import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  /** e.g. http://127.0.0.1:49152: what the client under test is pointed at. */
  readonly endpoint: string;
  /** Stops listening and drops every connection: the port refuses, as if the process had died. */
  down(): Promise<void>;
  /** Accepts connections but never forwards a byte: a process that hangs. */
  hang(): Promise<void>;
  /** Listens again on the same port and forwards. */
  up(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A loopback TCP proxy in front of a real server (DynamoDB Local in the fault tests), which a
 * test can take down and bring back on the same port while the data behind it survives:
 * an in-memory DynamoDB Local restarted for real would come back empty.
 */
export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const { hostname, port: targetPort } = new URL(target);
  const sockets = new Set<Socket>();
  let mode: 'forward' | 'hang' = 'forward';
  let server: Server | undefined;
  let port = 0;

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((client) => {
        sockets.add(client);
        client.once('close', () => sockets.delete(client));
        client.on('error', () => client.destroy());
        if (mode === 'hang') return client.resume();
        const upstream = createConnection({ host: hostname, port: Number(targetPort) });
        sockets.add(upstream);
        upstream.once('close', () => sockets.delete(upstream));
        upstream.on('error', () => client.destroy());
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
        client.pipe(upstream).pipe(client);
      });
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        const address = s.address();
        if (typeof address === 'object' && address) port = address.port;
        server = s;
        resolve();
      });
    });

  const stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      if (!server) return resolve();
      const s = server;
      server = undefined;
      s.close(() => resolve());
    });

  await listen();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    down: stop,
    hang: async () => {
      await stop();
      mode = 'hang';
      await listen();
    },
    up: async () => {
      await stop();
      mode = 'forward';
      await listen();
    },
    close: stop,
  };
}
