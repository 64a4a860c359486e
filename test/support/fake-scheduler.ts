import type { Server } from 'node:http';
import { createBufferingServer, listenOnLoopback, type ReceivedRequest } from '../../local/fake-server';

export interface FakeScheduler {
  url: string;
  requests: ReceivedRequest[];
  /** Schedules that exist now, by `<group>/<name>`, with the body that created or last updated them. */
  schedules: Map<string, Record<string, unknown>>;
  close(): Promise<void>;
}

/**
 * A small EventBridge Scheduler (REST-JSON: POST/PUT/DELETE /schedules/{Name}) on 127.0.0.1,
 * answering conflicts and missing schedules with the errors the real service sends.
 */
export async function startFakeScheduler(): Promise<FakeScheduler> {
  const requests: ReceivedRequest[] = [];
  const schedules = new Map<string, Record<string, unknown>>();
  const server: Server = createBufferingServer((request, res) => {
    requests.push(request);
    const url = new URL(request.path, 'http://localhost');
    const name = decodeURIComponent(url.pathname.replace(/^\/schedules\//, ''));
    const body = (request.json ?? {}) as Record<string, unknown>;
    const group = String(body.GroupName ?? url.searchParams.get('groupName') ?? 'default');
    const key = `${group}/${name}`;
    const reply = (status: number, payload: unknown, errorType?: string) => {
      res.writeHead(status, { 'content-type': 'application/json', ...(errorType ? { 'x-amzn-errortype': errorType } : {}) });
      res.end(JSON.stringify(payload));
    };
    const arn = { ScheduleArn: `arn:aws:scheduler:us-east-1:123456789012:schedule/${group}/${name}` };
    if (request.method === 'POST') {
      if (schedules.has(key)) return reply(409, { Message: `Schedule ${name} already exists.` }, 'ConflictException');
      schedules.set(key, body);
      return reply(200, arn);
    }
    if (request.method === 'PUT') {
      if (!schedules.has(key)) return reply(404, { Message: `Schedule ${name} does not exist.` }, 'ResourceNotFoundException');
      schedules.set(key, body);
      return reply(200, arn);
    }
    if (request.method === 'DELETE') {
      if (!schedules.delete(key)) return reply(404, { Message: `Schedule ${name} does not exist.` }, 'ResourceNotFoundException');
      return reply(200, {});
    }
    return reply(400, { Message: 'unsupported' }, 'ValidationException');
  });
  const url = await listenOnLoopback(server);
  return { url, requests, schedules, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
