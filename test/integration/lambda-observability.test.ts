import { readFileSync } from 'node:fs';
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MetricNames } from '../../functions/core/metric-names';
import { SERVICE_CREDENTIALS_NAME, SIGNING_SECRETS_NAME } from '../../functions/core/lambda-env';
import { signers } from '../../local/scenarios/signers';
import { type FakeAnthropic, messageReply, startFakeAnthropic } from '../../local/fake-anthropic';
import { pagerDutyIncidentScenario } from '../../local/scenarios/pagerduty-incident';
import { freshTable } from '../support/dynamo';
import { type FakeAws, startFakeAws } from '../support/fake-aws';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';

/*
 * Runs the real Lambda handler modules (ingest, incident worker, history worker) against
 * DynamoDB Local, fake Secrets Manager/EventBridge, fake Slack and fake Anthropic, and reads
 * what they print: structured JSON with a correlation id and cold-start flag on every line,
 * EMF metrics, and never a secret, token, signature or candidate contact detail.
 */

const SECRETS = {
  PAGERDUTY_WEBHOOK_SECRET: 'fake-pd-secret-9f2c41',
  GREENHOUSE_WEBHOOK_SECRET: 'fake-gh-secret-71ab0e',
  SLACK_BOT_TOKEN: 'fake-slack-bot-token-5d3e',
  ANTHROPIC_API_KEY: 'fake-anthropic-key-c0ffee',
};
const arn = (name: string) => `arn:aws:secretsmanager:us-east-1:000000000000:secret:exec-eng-lead/test/${name}`;
const greenhouseBody = readFileSync(new URL('../fixtures/greenhouse/candidate-stage-change.json', import.meta.url), 'utf8');
const CONTACT_DATA = ['marisol.fake@example.net', '+1 415-555-0173', '742 Evergreen Terrace', 'marisol-portfolio.example.org'];

function context(functionName: string, n: number): Context {
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: `req-${functionName}-${n}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    callbackWaitsForEmptyEventLoop: false,
    getRemainingTimeInMillis: () => 10_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

function apiEvent(source: string, headers: Record<string, string>, body: string) {
  return {
    version: '2.0',
    routeKey: 'POST /webhooks/{source}',
    rawPath: `/webhooks/${source}`,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', ...headers },
    pathParameters: { source },
    requestContext: { http: { method: 'POST', path: `/webhooks/${source}` }, requestId: `apigw-${Math.random()}` },
    body,
    isBase64Encoded: false,
  };
}

type Line = Record<string, unknown>;

describe('Lambda handlers: logs and metrics', () => {
  let aws: FakeAws;
  let slack: FakeSlack;
  let anthropic: FakeAnthropic;
  let output = '';
  const restore: Array<() => void> = [];

  beforeAll(async () => {
    const table = await freshTable('observability');
    // As deployed: the webhook secrets are fields of the signing-secrets JSON secret (ADR 0012), the
    // Slack token and the Anthropic key fields of the service-credentials one (ADR 0014).
    const { PAGERDUTY_WEBHOOK_SECRET, GREENHOUSE_WEBHOOK_SECRET, ...credentials } = SECRETS;
    const signing = JSON.stringify({ PAGERDUTY_WEBHOOK_SECRET: [PAGERDUTY_WEBHOOK_SECRET], GREENHOUSE_WEBHOOK_SECRET });
    aws = await startFakeAws({ [arn(SIGNING_SECRETS_NAME)]: signing, [arn(SERVICE_CREDENTIALS_NAME)]: JSON.stringify(credentials) });
    slack = await startFakeSlack();
    anthropic = await startFakeAnthropic();
    // Drafts without the required sections: Claude is called (usage logged), then the template stands in.
    anthropic.otherwise(messageReply({ headline: 'Something happened', sections: [{ heading: 'Note', body: 'Details to follow.' }] }));
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      // Lambda sets this; Powertools flags a cold start only when it says on-demand.
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_ACCESS_KEY_ID: 'fake',
      AWS_SECRET_ACCESS_KEY: 'fake',
      AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url,
      AWS_ENDPOINT_URL_EVENTBRIDGE: aws.url,
      TABLE_NAME: table.tableName,
      EVENT_BUS_NAME: 'exec-eng-lead-test',
      SLACK_CHANNEL_INCIDENTS: '#incidents-test',
      SLACK_API_URL: slack.apiUrl,
      ANTHROPIC_BASE_URL: anthropic.baseURL,
      [`${SERVICE_CREDENTIALS_NAME}_ARN`]: arn(SERVICE_CREDENTIALS_NAME),
      [`${SIGNING_SECRETS_NAME}_ARN`]: arn(SIGNING_SECRETS_NAME),
    });
    // Powertools writes INFO to stdout and WARN/ERROR to stderr: read both.
    for (const stream of [process.stdout, process.stderr]) {
      const spy = vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
        return true;
      });
      restore.push(() => spy.mockRestore());
    }
  });

  afterAll(async () => {
    for (const undo of restore) undo();
    vi.restoreAllMocks();
    await Promise.all([aws?.close(), slack?.close(), anthropic?.stop()]);
  });

  const lines = (): Line[] =>
    output
      .split('\n')
      .filter((line) => line.trim().startsWith('{'))
      .map((line) => JSON.parse(line) as Line);
  const logLines = () => lines().filter((line) => typeof line.level === 'string');
  const emfLines = () => lines().filter((line) => line._aws !== undefined);
  const emfValues = (name: string, where: Record<string, string> = {}) =>
    emfLines()
      .filter((line) => line[name] !== undefined && Object.entries(where).every(([key, value]) => line[key] === value))
      .flatMap((line) => (Array.isArray(line[name]) ? (line[name] as number[]) : [line[name] as number]));

  it('run end to end, tagging every line with the correlation id and cold start, printing nothing secret', async () => {
    const ingest = (await import('../../functions/ingest/handler')).handler;
    const incident = (await import('../../functions/incidents/handler')).handler;
    const history = (await import('../../functions/history/handler')).handler;

    const [triggered] = pagerDutyIncidentScenario({ incidentId: 'QOBSERVE' });
    if (!triggered) throw new Error('scenario is empty');
    const pd = signers.pagerduty?.(triggered, SECRETS.PAGERDUTY_WEBHOOK_SECRET, new Date());
    if (!pd) throw new Error('no pagerduty signer');
    expect((await ingest(apiEvent('pagerduty', pd.headers, pd.body) as never, context('ingest', 1))).statusCode).toBe(202);
    const badSignature = { ...pd.headers, 'x-pagerduty-signature': `v1=${'0'.repeat(64)}` };
    expect((await ingest(apiEvent('pagerduty', badSignature, pd.body) as never, context('ingest', 2))).statusCode).toBe(401);
    const gh = signers.greenhouse?.({ source: 'greenhouse', deliveryId: 'gh-observe-1', body: greenhouseBody }, SECRETS.GREENHOUSE_WEBHOOK_SECRET, new Date());
    if (!gh) throw new Error('no greenhouse signer');
    expect((await ingest(apiEvent('greenhouse', gh.headers, gh.body) as never, context('ingest', 3))).statusCode).toBe(202);

    // What ingest put on the bus, delivered as EventBridge would (the incident one as a replay).
    const published = aws.putEvents.map((entry) => ({
      'detail-type': entry.DetailType,
      source: entry.Source,
      detail: JSON.parse(entry.Detail) as { id: string },
    }));
    const incidentEvent = published.find((e) => e['detail-type'] === 'incident.triggered');
    const candidateEvent = published.find((e) => e['detail-type'].startsWith('candidate.'));
    if (!incidentEvent || !candidateEvent) throw new Error(`unexpected events: ${published.map((e) => e['detail-type']).join(', ')}`);
    await incident({ ...incidentEvent, id: 'eb-1', 'replay-name': 'replay-test-1' } as never, context('incident', 1));
    await history({ ...candidateEvent, id: 'eb-2' } as never, context('history', 1));
    expect(slack.calls.filter((call) => call.method === 'chat.postMessage')).toHaveLength(1);

    const logs = logLines();
    expect(logs.length).toBeGreaterThanOrEqual(6);
    for (const line of logs) {
      expect(line.correlation_id, JSON.stringify(line)).toEqual(expect.any(String));
      expect(typeof line.cold_start, JSON.stringify(line)).toBe('boolean');
      expect(line.function_name).toEqual(expect.any(String));
    }
    expect(logs[0]?.cold_start).toBe(true);
    expect(logs.at(-1)?.cold_start).toBe(false);
    const byFunction = (name: string) => logs.filter((line) => line.function_name === name);
    expect(new Set(byFunction('ingest').map((line) => line.correlation_id))).toEqual(new Set([`pagerduty:${triggered.deliveryId}`, 'greenhouse:gh-observe-1']));
    expect(new Set(byFunction('incident').map((line) => line.correlation_id))).toEqual(new Set([incidentEvent.detail.id]));
    expect(byFunction('incident').every((line) => line.replay_name === 'replay-test-1')).toBe(true);
    expect(byFunction('history').map((line) => line.correlation_id)).toContain(candidateEvent.detail.id);
    expect(byFunction('history').some((line) => 'replay_name' in line)).toBe(false);

    // Usage figures are information, not warnings.
    const usage = logs.filter((line) => line.message === 'claude_writer.usage');
    expect(usage.length).toBeGreaterThan(0);
    expect(usage.every((line) => line.level === 'INFO')).toBe(true);

    for (const value of [...Object.values(SECRETS), pd.headers['x-pagerduty-signature'], gh.headers.signature, ...CONTACT_DATA]) {
      expect(output.includes(String(value)), `printed ${value}`).toBe(false);
    }
  });

  it('emit EMF metrics under one namespace, with aggregates and breakdowns', () => {
    for (const line of emfLines()) {
      const directives = (line._aws as { CloudWatchMetrics: { Namespace: string }[] }).CloudWatchMetrics;
      expect(directives.map((d) => d.Namespace)).toEqual(['ExecEngLead']);
      expect(line.service).toBe('exec-eng-lead');
    }
    expect(emfValues(MetricNames.webhooksAccepted, { source: 'pagerduty' })).toEqual([1]);
    expect(emfValues(MetricNames.webhooksAccepted, { source: 'greenhouse' })).toEqual([1]);
    expect(emfValues(MetricNames.webhookRejections, { source: 'pagerduty', reason: 'bad_signature' })).toEqual([1]);
    expect(emfValues(MetricNames.eventsPublished).length).toBeGreaterThanOrEqual(2);
    expect(emfValues(MetricNames.documentsWritten, { kind: 'incident.brief', writer: 'template' })).toEqual([1]);
    expect(emfValues(MetricNames.templateFallbacks, { reason: 'structure_failed' })).toEqual([1]);
    expect(emfValues(MetricNames.modelInputTokens).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(emfValues(MetricNames.tokenBudgetUsedPercent).length).toBeGreaterThan(0);
    expect(emfValues('ColdStart').length).toBeGreaterThanOrEqual(1);
  });
});
