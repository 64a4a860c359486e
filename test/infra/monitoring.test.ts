import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { LambdaEnv } from '../../functions/core/lambda-env';
import { METRICS_NAMESPACE, MetricNames } from '../../functions/core/metric-names';
import { routes } from '../../functions/core/routing';
import { RUNBOOK } from '../../lib/monitoring';
import { environmentOf, logicalIdOf, propertiesOf, synthApp } from './app-fixture';

type Json = Record<string, unknown>;

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchorsOf(markdown: string): Set<string> {
  const headings = markdown.split('\n').filter((line) => /^#{1,6} /.test(line));
  return new Set(
    headings.map((line) =>
      line
        .replace(/^#+ /, '')
        .trim()
        .toLowerCase()
        .replace(/[^a-z0-9 _-]/g, '')
        .replace(/ /g, '-'),
    ),
  );
}

describe('Monitoring', () => {
  const built = synthApp({ alarmEmail: 'alarms@example.com' });
  const { serviceTemplate: template, statefulTemplate, service, stateful, config } = built;
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((resource) => (resource as { Properties: Json }).Properties);
  const topicId = logicalIdOf(service.monitoring.topic);
  const functionIds = Object.keys(template.findResources('AWS::Lambda::Function'));

  const alarmsOn = (metricName: string, dimension: string, value: unknown) =>
    alarms.filter(
      (alarm) =>
        alarm.MetricName === metricName &&
        (alarm.Dimensions as Json[] | undefined)?.some((d) => d.Name === dimension && JSON.stringify(d.Value) === JSON.stringify(value)),
    );

  it('sends every alarm and its recovery to one encrypted, TLS-only SNS topic with the e-mail from cdk.json', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'alarms@example.com', TopicArn: { Ref: topicId } });
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) {
      expect(alarm.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.OKActions).toEqual([{ Ref: topicId }]);
    }
  });

  it('lets CloudWatch (and only it, besides the account) use the topic key', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] })]),
      },
    });
  });

  it('has no subscription when no alarm e-mail is configured', () => {
    const { serviceTemplate } = synthApp({ alarmEmail: undefined });
    serviceTemplate.resourceCountIs('AWS::SNS::Subscription', 0);
    serviceTemplate.resourceCountIs('AWS::SNS::Topic', 1);
  });

  it('describes what to do in every alarm and links a runbook section that exists in docs/operations.md', () => {
    const anchors = anchorsOf(readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8'));
    for (const anchor of Object.values(RUNBOOK)) expect(anchors, anchor).toContain(anchor);
    for (const alarm of alarms) {
      const description = String(alarm.AlarmDescription);
      expect(description).toMatch(/What to do: .{20,}/);
      const link = /Runbook: docs\/operations\.md#([a-z0-9-]+)$/.exec(description);
      expect(link, description).not.toBeNull();
      expect(anchors).toContain(link?.[1]);
    }
  });

  it('alarms on errors and throttles of every function in the stack', () => {
    expect(functionIds.length).toBeGreaterThanOrEqual(7);
    for (const id of functionIds) {
      expect(alarmsOn('Errors', 'FunctionName', { Ref: id }), id).toHaveLength(1);
      expect(alarmsOn('Throttles', 'FunctionName', { Ref: id }), id).toHaveLength(1);
    }
  });

  it('alarms on the first message in every dead-letter and on-failure queue', () => {
    expect(service.failureQueues.length).toBeGreaterThanOrEqual(routes.length + 3);
    for (const queue of service.failureQueues) {
      const [alarm] = alarmsOn('ApproximateNumberOfMessagesVisible', 'QueueName', { 'Fn::GetAtt': [logicalIdOf(queue), 'QueueName'] });
      expect(alarm, queue.node.path).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', Statistic: 'Maximum' });
    }
  });

  it('alarms on 5xx answers of the webhook API', () => {
    expect(alarms.filter((alarm) => alarm.MetricName === '5xx' && alarm.Namespace === 'AWS/ApiGateway')).toHaveLength(1);
  });

  it('alarms on failed invocations of every EventBridge rule, by bus and rule name', () => {
    const failed = alarms.filter((alarm) => alarm.MetricName === 'FailedInvocations' && alarm.Namespace === 'AWS/Events');
    expect(failed).toHaveLength(routes.length);
    for (const alarm of failed) {
      expect((alarm.Dimensions as Json[]).map((d) => d.Name).sort()).toEqual(['EventBusName', 'RuleName']);
    }
  });

  it('alarms when the oldest undelivered document is older than 15 minutes', () => {
    const [alarm] = alarms.filter((a) => a.MetricName === MetricNames.outboxOldestPendingAgeSeconds);
    expect(alarm).toMatchObject({ Namespace: METRICS_NAMESPACE, Threshold: 900, Statistic: 'Maximum' });
  });

  it('alarms on the first Slack setup problem (a refusal only a person can fix)', () => {
    const [alarm] = alarms.filter((a) => a.MetricName === MetricNames.slackSetupErrors);
    expect(alarm).toMatchObject({ Namespace: METRICS_NAMESPACE, Threshold: 1, Statistic: 'Sum', ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
  });

  it('alarms when the day passes 80% of the token budget', () => {
    const [alarm] = alarms.filter((a) => a.MetricName === MetricNames.tokenBudgetUsedPercent);
    expect(alarm).toMatchObject({ Namespace: METRICS_NAMESPACE, Threshold: 80, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
  });

  it('alarms on the template fallback rate above the configured threshold', () => {
    const { serviceTemplate } = synthApp({ templateFallbackAlarmPercent: 12 });
    const rate = Object.values(serviceTemplate.findResources('AWS::CloudWatch::Alarm'))
      .map((resource) => (resource as { Properties: Json }).Properties)
      .find((alarm) => Array.isArray(alarm.Metrics));
    expect(rate?.Threshold).toBe(12);
    const used = (rate?.Metrics as Json[]).flatMap((m) => ((m.MetricStat as { Metric?: Json } | undefined)?.Metric?.MetricName as string | undefined) ?? []);
    expect(used.sort()).toEqual([MetricNames.documentsWritten, MetricNames.templateFallbacks].sort());
  });

  describe('limits', () => {
    it('reserves concurrency on every function that may call Claude, and only on those', () => {
      const capped = synthApp({ claudeWriter: true, claudeReservedConcurrency: 3 }).serviceTemplate;
      const writerIds = Object.keys(capped.findResources('AWS::Lambda::Function')).filter((id) => LambdaEnv.anthropicModel in environmentOf(capped, id));
      expect(writerIds.length).toBeGreaterThanOrEqual(3);
      for (const id of Object.keys(capped.findResources('AWS::Lambda::Function'))) {
        expect(propertiesOf(capped, id).ReservedConcurrentExecutions, id).toBe(writerIds.includes(id) ? 3 : undefined);
      }
      expect(propertiesOf(template, logicalIdOf(service.incidentWorker.fn)).ReservedConcurrentExecutions).toBe(config.claudeReservedConcurrency);
    });

    it('throttles the HTTP API from cdk.json', () => {
      const settings = (t: typeof template) =>
        Object.values(t.findResources('AWS::ApiGatewayV2::Stage')).map((stage) => (stage as { Properties: Json }).Properties.DefaultRouteSettings);
      expect(settings(synthApp({ apiThrottle: { rateLimit: 7, burstLimit: 9 } }).serviceTemplate)).toEqual([
        { ThrottlingRateLimit: 7, ThrottlingBurstLimit: 9 },
      ]);
      expect(settings(template)).toEqual([{ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 }]);
    });
  });

  describe('replay', () => {
    it('archives every event of the bus, 30 days by default, on a bus without a customer-managed key', () => {
      statefulTemplate.resourceCountIs('AWS::Events::Archive', 1);
      statefulTemplate.hasResourceProperties('AWS::Events::Archive', {
        SourceArn: { 'Fn::GetAtt': [logicalIdOf(stateful.bus), 'Arn'] },
        RetentionDays: 30,
        EventPattern: { account: [{ Ref: 'AWS::AccountId' }] },
      });
      expect(propertiesOf(statefulTemplate, logicalIdOf(stateful.bus)).KmsKeyIdentifier).toBeUndefined();
    });

    it('takes the retention from cdk.json', () => {
      const archives = synthApp({ archiveRetentionDays: 7 }).statefulTemplate.findResources('AWS::Events::Archive');
      expect(Object.values(archives).map((archive) => (archive as { Properties: Json }).Properties.RetentionDays)).toEqual([7]);
    });
  });
});
