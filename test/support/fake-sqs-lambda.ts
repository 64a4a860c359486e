import { createHash, randomUUID } from 'node:crypto';
import { createBufferingServer, listenOnLoopback } from '../../local/fake-server';

export const FAKE_ACCOUNT = '123456789012';

export interface FakeMessage {
  body: string;
  /** String message attributes (`TARGET_ARN`, `ERROR_CODE`, …). */
  attributes?: Record<string, string>;
}

export interface FakeSqsLambda {
  /** Endpoint for AWS_ENDPOINT_URL_SQS and AWS_ENDPOINT_URL_LAMBDA. */
  url: string;
  /** Puts messages in a queue (created on first use). */
  enqueue(queueName: string, messages: FakeMessage[]): void;
  /** Bodies still in the queue, visible or not. */
  remaining(queueName: string): string[];
  /** Asynchronous invocations Lambda accepted, in order. */
  invocations: { functionName: string; invocationType: string; payload: string }[];
  /** Function names whose invocation is refused (404 ResourceNotFoundException). */
  missingFunctions: Set<string>;
  close(): Promise<void>;
}

interface StoredMessage {
  id: string;
  body: string;
  attributes: Record<string, string>;
  receiptHandle?: string;
  visibleAt: number;
}

/**
 * SQS (AWS JSON 1.0: GetQueueUrl, ReceiveMessage, DeleteMessage, ChangeMessageVisibility,
 * with visibility timeouts and MD5 of bodies as the SDK checks them) and Lambda's Invoke
 * (REST: `POST /2015-03-31/functions/{name}/invocations`) on 127.0.0.1, one server for both.
 */
export async function startFakeSqsLambda(): Promise<FakeSqsLambda> {
  const queues = new Map<string, StoredMessage[]>();
  const invocations: FakeSqsLambda['invocations'] = [];
  const missingFunctions = new Set<string>();
  const queue = (name: string) => queues.get(name) ?? (queues.set(name, []).get(name) as StoredMessage[]);
  let url = '';
  const queueNameOf = (queueUrl: unknown) => String(queueUrl).split('/').pop() ?? '';

  const server = createBufferingServer(({ method, path, headers, rawBody }, res) => {
    const invoke = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(path);
    if (method === 'POST' && invoke?.[1]) {
      const functionName = decodeURIComponent(invoke[1]);
      if (missingFunctions.has(functionName)) {
        return res
          .writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' })
          .end(JSON.stringify({ Type: 'User', message: `Function not found: ${functionName}` }));
      }
      invocations.push({ functionName, invocationType: String(headers['x-amz-invocation-type'] ?? 'RequestResponse'), payload: rawBody });
      return res.writeHead(202).end();
    }
    const target = String(headers['x-amz-target'] ?? '');
    const body = JSON.parse(rawBody || '{}') as Record<string, unknown>;
    const answer = (status: number, json: unknown) => res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' }).end(JSON.stringify(json));
    const now = Date.now();
    switch (target) {
      case 'AmazonSQS.GetQueueUrl': {
        const name = String(body.QueueName);
        if (!queues.has(name)) return answer(400, { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' });
        return answer(200, { QueueUrl: `${url}/${FAKE_ACCOUNT}/${name}` });
      }
      case 'AmazonSQS.ReceiveMessage': {
        const visible = queue(queueNameOf(body.QueueUrl))
          .filter((message) => message.visibleAt <= now)
          .slice(0, Number(body.MaxNumberOfMessages ?? 1));
        const hideMs = Number(body.VisibilityTimeout ?? 30) * 1000;
        return answer(200, {
          Messages: visible.map((message) => {
            message.receiptHandle = randomUUID();
            message.visibleAt = now + hideMs;
            return {
              MessageId: message.id,
              ReceiptHandle: message.receiptHandle,
              Body: message.body,
              MD5OfBody: createHash('md5').update(message.body).digest('hex'),
              MessageAttributes: Object.fromEntries(
                Object.entries(message.attributes).map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
              ),
            };
          }),
        });
      }
      case 'AmazonSQS.DeleteMessage':
      case 'AmazonSQS.ChangeMessageVisibility': {
        const messages = queue(queueNameOf(body.QueueUrl));
        const index = messages.findIndex((message) => message.receiptHandle === body.ReceiptHandle);
        if (index < 0) return answer(400, { __type: 'com.amazonaws.sqs#ReceiptHandleIsInvalid', message: 'The input receipt handle is invalid.' });
        if (target === 'AmazonSQS.DeleteMessage') messages.splice(index, 1);
        else (messages[index] as StoredMessage).visibleAt = now + Number(body.VisibilityTimeout ?? 0) * 1000;
        return answer(200, {});
      }
      default:
        return answer(400, { __type: 'com.amazonaws.sqs#UnsupportedOperation', message: target });
    }
  });
  url = await listenOnLoopback(server);
  return {
    url,
    enqueue: (name, messages) =>
      queue(name).push(...messages.map((message) => ({ id: randomUUID(), body: message.body, attributes: message.attributes ?? {}, visibleAt: 0 }))),
    remaining: (name) => queue(name).map((message) => message.body),
    invocations,
    missingFunctions,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
