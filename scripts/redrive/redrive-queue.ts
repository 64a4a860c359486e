import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, type Message, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/**
 * Where a failure-queue message goes back to. The service's failure queues (lib/service-stack.ts) hold two shapes:
 * - a Lambda on-failure record (`<Worker>WorkerFailedInvocations`): `requestContext.functionArn` and the
 *   original event in `requestPayload`;
 * - a dead letter of an EventBridge rule or a Scheduler schedule (`<Route>DeadLetterQueue`, `…ScheduleDeadLetters`,
 *   `EscalationTimerDeadLetters`): the body is what the target was to receive, its ARN in the `TARGET_ARN` attribute.
 */
export interface RedriveTarget {
  functionName: string;
  payload: string;
  origin: 'on-failure record' | 'dead letter' | '--function';
}

export interface RedriveReport {
  queueUrl: string;
  /** Messages re-invoked and deleted (in a dry run: that would be). */
  moved: { messageId: string; functionName: string; origin: RedriveTarget['origin'] }[];
  /** Messages left in the queue, and why. */
  left: { messageId: string; reason: string }[];
  dryRun: boolean;
}

export interface RedriveOptions {
  sqs: SQSClient;
  lambda: LambdaClient;
  queueUrl: string;
  /** Lists what would move and leaves every message in place. */
  dryRun?: boolean;
  /** For messages that name no target (neither shape above). */
  fallbackFunction?: string;
  /** Stops after this many messages. */
  max?: number;
  /** Seconds a received message stays hidden while it is handled; past the run, a message left behind shows again. */
  visibilityTimeoutSeconds?: number;
}

/** What the message asks to be sent where, or why it cannot say. */
export function redriveTarget(message: Message, fallbackFunction?: string): RedriveTarget | { reason: string } {
  const body = message.Body ?? '';
  const record = parseJson(body);
  if (isOnFailureRecord(record))
    return { functionName: record.requestContext.functionArn, payload: JSON.stringify(record.requestPayload), origin: 'on-failure record' };
  const targetArn = message.MessageAttributes?.TARGET_ARN?.StringValue;
  if (targetArn) {
    if (!/^arn:aws[a-z-]*:lambda:[^:]+:\d{12}:function:/.test(targetArn)) return { reason: `its target ${targetArn} is not a Lambda function` };
    return { functionName: targetArn, payload: body, origin: 'dead letter' };
  }
  if (fallbackFunction) return { functionName: fallbackFunction, payload: body, origin: '--function' };
  return { reason: 'it names no target (no on-failure record, no TARGET_ARN attribute); pass --function <name>' };
}

/**
 * Moves what a failure queue holds back where it came from: each message's event is sent to
 * its function again, asynchronously (as EventBridge and Scheduler invoke it, so a new
 * failure lands in the function's failure queue rather than being lost), and the message is
 * deleted only once Lambda has accepted the invocation. Workers are idempotent: a redriven
 * event that had partly succeeded posts nothing twice.
 */
export async function redriveQueue(options: RedriveOptions): Promise<RedriveReport> {
  const { sqs, lambda, queueUrl } = options;
  const report: RedriveReport = { queueUrl, moved: [], left: [], dryRun: options.dryRun === true };
  const seen = new Set<string>();
  const max = options.max ?? Number.POSITIVE_INFINITY;
  while (seen.size < max) {
    const received = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, max - seen.size),
        VisibilityTimeout: options.visibilityTimeoutSeconds ?? 300,
        // Long polling asks every SQS server, so an empty answer means an empty queue.
        WaitTimeSeconds: 1,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    const messages = (received.Messages ?? []).filter((message) => message.MessageId && !seen.has(message.MessageId));
    if (messages.length === 0) break;
    for (const message of messages) {
      const messageId = message.MessageId as string;
      seen.add(messageId);
      const target = redriveTarget(message, options.fallbackFunction);
      if ('reason' in target) {
        report.left.push({ messageId, reason: target.reason });
        continue;
      }
      if (report.dryRun) {
        report.moved.push({ messageId, functionName: target.functionName, origin: target.origin });
        await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 }));
        continue;
      }
      try {
        const invoked = await lambda.send(
          new InvokeCommand({ FunctionName: target.functionName, InvocationType: 'Event', Payload: new TextEncoder().encode(target.payload) }),
        );
        if (invoked.StatusCode !== 202) throw new Error(`Lambda answered ${invoked.StatusCode ?? 'no status'}`);
      } catch (error) {
        report.left.push({
          messageId,
          reason: `invoking ${target.functionName} failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
        });
        continue;
      }
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
      report.moved.push({ messageId, functionName: target.functionName, origin: target.origin });
    }
  }
  return report;
}

interface OnFailureRecord {
  requestContext: { functionArn: string };
  requestPayload: unknown;
}

function isOnFailureRecord(value: unknown): value is OnFailureRecord {
  if (typeof value !== 'object' || value === null || !('requestPayload' in value) || !('requestContext' in value)) return false;
  const context = (value as { requestContext: unknown }).requestContext;
  return typeof context === 'object' && context !== null && typeof (context as { functionArn?: unknown }).functionArn === 'string';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
