import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUS_SOURCE } from '../../functions/core/routing';
import { FAKE_ACCOUNT, type FakeSqsLambda, startFakeSqsLambda } from '../support/fake-sqs-lambda';
import { incidentEventAt } from '../support/incident-events';

const run = promisify(execFile);
const ARN = (name: string) => `arn:aws:lambda:us-east-1:${FAKE_ACCOUNT}:function:${name}`;
const event = incidentEventAt(new Date('2026-11-30T08:00:00Z'), 'incident.triggered', 0, { incidentId: 'QREDRIVE', priority: 'P1' });
/** What EventBridge delivers to a Lambda target, and so what a rule's dead-letter queue holds. */
const busEvent = {
  version: '0',
  id: 'eb-1',
  'detail-type': event.type,
  source: BUS_SOURCE,
  account: FAKE_ACCOUNT,
  time: event.occurredAt,
  region: 'us-east-1',
  resources: [],
  detail: event,
};

/** A rule's dead letter: the event, with the target and the failure in message attributes. */
const deadLetter = (functionName: string) => ({
  body: JSON.stringify(busEvent),
  attributes: {
    TARGET_ARN: ARN(functionName),
    RULE_ARN: `arn:aws:events:us-east-1:${FAKE_ACCOUNT}:rule/bus/IncidentEventsToIncidentWorker`,
    ERROR_CODE: 'SDKClientException',
    ERROR_MESSAGE: 'Rate exceeded',
  },
});
/** A worker's on-failure record: Lambda's invocation record, the event inside. */
const onFailureRecord = (functionName: string) => ({
  body: JSON.stringify({
    version: '1.0',
    timestamp: '2026-11-30T08:05:00.000Z',
    requestContext: { requestId: 'req-1', functionArn: `${ARN(functionName)}:$LATEST`, condition: 'RetriesExhausted', approximateInvokeCount: 3 },
    requestPayload: busEvent,
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: 'Error', errorMessage: 'Slack was down' },
  }),
});

describe('npm run redrive: a failure queue goes back where it came from', () => {
  let aws: FakeSqsLambda;
  beforeAll(async () => {
    aws = await startFakeSqsLambda();
  });
  afterAll(async () => {
    await aws.close();
  });

  /** The real command, its SDK clients pointed at the fake by the standard variables. */
  async function redrive(...args: string[]): Promise<{ code: number; stdout: string }> {
    const env = {
      ...process.env,
      AWS_ENDPOINT_URL_SQS: aws.url,
      AWS_ENDPOINT_URL_LAMBDA: aws.url,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'fake',
      AWS_SECRET_ACCESS_KEY: 'fake',
    };
    try {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/redrive.ts', ...args], { env, timeout: 60_000 });
      return { code: 0, stdout };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? -1, stdout: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
    }
  }

  it("re-invokes each message's function asynchronously with the original event, deletes it, and reports what it moved", async () => {
    // Prepare
    aws.enqueue('IncidentEventsToIncidentWorkerDeadLetterQueue', [deadLetter('IncidentWorker')]);
    aws.enqueue('EscalationWorkerFailedInvocations', [onFailureRecord('EscalationWorker')]);
    // Act
    const first = await redrive('--queue', 'IncidentEventsToIncidentWorkerDeadLetterQueue');
    const second = await redrive('--queue', `${aws.url}/${FAKE_ACCOUNT}/EscalationWorkerFailedInvocations`);
    // Assess
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`moved 1 message(s), left 0`);
    expect(first.stdout).toContain(`moved 1 → ${ARN('IncidentWorker')} (dead letter)`);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`moved 1 → ${ARN('EscalationWorker')}:$LATEST (on-failure record)`);
    expect(aws.invocations.map(({ functionName, invocationType }) => ({ functionName, invocationType }))).toEqual([
      { functionName: ARN('IncidentWorker'), invocationType: 'Event' },
      { functionName: `${ARN('EscalationWorker')}:$LATEST`, invocationType: 'Event' },
    ]);
    // Both get exactly what EventBridge would have delivered.
    for (const invocation of aws.invocations) expect(JSON.parse(invocation.payload)).toEqual(busEvent);
    expect(aws.remaining('IncidentEventsToIncidentWorkerDeadLetterQueue')).toEqual([]);
    expect(aws.remaining('EscalationWorkerFailedInvocations')).toEqual([]);
    // Again on the empty queue: nothing to do, and it says so.
    const again = await redrive('--queue', 'IncidentEventsToIncidentWorkerDeadLetterQueue');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('the queue is empty');
    expect(aws.invocations).toHaveLength(2);
  }, 120_000);

  it('a dry run lists what would move and moves nothing', async () => {
    // Prepare
    aws.enqueue('ApprovalWorkerFailedInvocations', [onFailureRecord('ApprovalWorker'), onFailureRecord('ApprovalWorker')]);
    const before = aws.invocations.length;
    // Act
    const result = await redrive('--queue', 'ApprovalWorkerFailedInvocations', '--dry-run');
    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('would move 2 message(s), left 0');
    expect(aws.invocations).toHaveLength(before);
    expect(aws.remaining('ApprovalWorkerFailedInvocations')).toHaveLength(2);
  }, 60_000);

  it('leaves in the queue what names no target or whose function refuses it, says why, and exits 1', async () => {
    // Prepare
    aws.missingFunctions.add(ARN('DeletedWorker'));
    aws.enqueue('HistoryWorkerFailedInvocations', [{ body: '{"not":"a record"}' }, deadLetter('DeletedWorker'), deadLetter('HistoryWorker')]);
    // Act
    const result = await redrive('--queue', 'HistoryWorkerFailedInvocations');
    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('moved 1 message(s), left 2');
    expect(result.stdout).toContain('it names no target');
    expect(result.stdout).toContain(`invoking ${ARN('DeletedWorker')} failed: ResourceNotFoundException`);
    expect(aws.remaining('HistoryWorkerFailedInvocations')).toHaveLength(2);
  }, 60_000);

  it('refuses a call without --queue, with the usage', async () => {
    const result = await redrive();
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('usage: npm run redrive -- --queue');
  }, 60_000);
});
