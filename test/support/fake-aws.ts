import { createBufferingServer, listenOnLoopback } from '../../local/fake-server';

export interface FakeAws {
  /** Endpoint for AWS_ENDPOINT_URL_SECRETS_MANAGER and AWS_ENDPOINT_URL_EVENTBRIDGE. */
  url: string;
  /** The secret ids `GetSecretValue` was asked for, in order: each one a call Secrets Manager would bill. */
  secretReads: string[];
  /** Entries EventBridge accepted, in order. */
  putEvents: { Source: string; DetailType: string; Detail: string; EventBusName: string }[];
  close(): Promise<void>;
}

/**
 * Secrets Manager `GetSecretValue` and EventBridge `PutEvents` on 127.0.0.1 (AWS JSON protocol,
 * dispatched on `X-Amz-Target`), so the Lambda handlers run as deployed, SDK clients included.
 * `secrets` maps a secret id (the ARN the function was given) to its value.
 */
export async function startFakeAws(secrets: Record<string, string>): Promise<FakeAws> {
  const putEvents: FakeAws['putEvents'] = [];
  const secretReads: string[] = [];
  const server = createBufferingServer(({ headers, rawBody }, res) => {
    const target = String(headers['x-amz-target'] ?? '');
    const body = JSON.parse(rawBody || '{}') as Record<string, unknown>;
    const answer = (status: number, json: unknown) => res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(json));
    if (target === 'secretsmanager.GetSecretValue') {
      const id = String(body.SecretId);
      secretReads.push(id);
      const value = secrets[id];
      if (value === undefined) return answer(400, { __type: 'ResourceNotFoundException', message: 'no such secret' });
      return answer(200, { ARN: id, Name: id, SecretString: value, VersionId: 'v1' });
    }
    if (target === 'AWSEvents.PutEvents') {
      const entries = body.Entries as FakeAws['putEvents'];
      putEvents.push(...entries);
      return answer(200, { FailedEntryCount: 0, Entries: entries.map((_, i) => ({ EventId: `fake-${putEvents.length}-${i}` })) });
    }
    return answer(400, { __type: 'UnknownOperationException', message: target });
  });
  const url = await listenOnLoopback(server);
  return { url, putEvents, secretReads, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
