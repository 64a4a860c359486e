import { LambdaClient } from '@aws-sdk/client-lambda';
import { GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import { parseArgs } from 'node:util';
import { fail } from './cli';
import { type RedriveReport, redriveQueue } from './redrive/redrive-queue';

const USAGE = `usage: npm run redrive -- --queue <queue name or URL> [--dry-run] [--function <name>] [--max <n>]
  Sends each message of a failure queue back to the function it was meant for, then deletes it.
  --dry-run      list what would move; move nothing
  --function     target for messages that name none (neither an on-failure record nor a TARGET_ARN)
  --max          stop after this many messages
AWS credentials and region as usual; AWS_ENDPOINT_URL_SQS and AWS_ENDPOINT_URL_LAMBDA point it elsewhere.`;

/** `npm run redrive`: empties a failure queue back into the service once the cause is fixed (docs/operations.md). */
async function main(): Promise<void> {
  let values: { queue?: string; 'dry-run'?: boolean; function?: string; max?: string };
  try {
    ({ values } = parseArgs({
      options: { queue: { type: 'string' }, 'dry-run': { type: 'boolean' }, function: { type: 'string' }, max: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    fail(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  if (!values.queue) fail(`--queue is required\n${USAGE}`);
  const max = values.max === undefined ? undefined : Number(values.max);
  if (max !== undefined && !(Number.isInteger(max) && max > 0)) fail(`--max must be a positive whole number, got "${values.max}"\n${USAGE}`);

  const sqs = new SQSClient({});
  const lambda = new LambdaClient({});
  try {
    const queueUrl = /^https?:\/\//.test(values.queue) ? values.queue : (await sqs.send(new GetQueueUrlCommand({ QueueName: values.queue }))).QueueUrl;
    if (!queueUrl) fail(`no queue named ${values.queue}`);
    const report = await redriveQueue({ sqs, lambda, queueUrl, dryRun: values['dry-run'], fallbackFunction: values.function, max });
    print(report);
    if (report.left.length > 0) process.exitCode = 1;
  } finally {
    sqs.destroy();
    lambda.destroy();
  }
}

function print(report: RedriveReport): void {
  const verb = report.dryRun ? 'would move' : 'moved';
  console.log(`${report.queueUrl}: ${verb} ${report.moved.length} message(s), left ${report.left.length}`);
  const byTarget = new Map<string, number>();
  for (const moved of report.moved) byTarget.set(`${moved.functionName} (${moved.origin})`, (byTarget.get(`${moved.functionName} (${moved.origin})`) ?? 0) + 1);
  for (const [target, count] of byTarget) console.log(`  ${verb} ${count} → ${target}`);
  for (const left of report.left) console.log(`  left ${left.messageId}: ${left.reason}`);
  if (report.moved.length === 0 && report.left.length === 0) console.log('  the queue is empty');
}

main().catch((error: unknown) => {
  console.error(`redrive failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  process.exit(1);
});
