import { Annotations, Duration, Fn, Stack } from 'aws-cdk-lib';
import type { IHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { Alarm, ComparisonOperator, MathExpression, Metric, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { CfnRule, type IEventBus } from 'aws-cdk-lib/aws-events';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { CfnFunction, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LambdaEnv } from '../functions/core/lambda-env';
import { METRICS_NAMESPACE, METRICS_SERVICE, type MetricName, MetricNames } from '../functions/core/metric-names';
import type { AppConfig } from './config';

export interface MonitoringProps {
  config: AppConfig;
  bus: IEventBus;
  apiStage: IHttpStage;
  /** Queues that only ever hold failures (dead letters, on-failure destinations). */
  failureQueues: readonly Queue[];
}

/** Runbook anchors in docs/operations.md, one per alarm family. */
export const RUNBOOK = {
  failureQueue: 'a-message-in-a-dead-letter-or-on-failure-queue',
  functionErrors: 'function-errors',
  functionThrottles: 'function-throttles',
  api5xx: 'webhook-api-5xx',
  busFailedInvocations: 'eventbridge-failed-invocations',
  outboxAge: 'undelivered-document-older-than-15-minutes',
  slackSetup: 'slack-setup-problem',
  fallbackRate: 'template-fallback-rate',
  tokenBudget: 'token-budget-80',
} as const;

/**
 * Alarms, their SNS topic and the Claude concurrency cap for every function, queue and rule of
 * the stack it is created in. It finds them by walking the construct tree, so a function or
 * queue someone adds is covered without editing this file: create it last in the stack.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];
  /** Functions given reserved concurrency because they may call Claude. */
  readonly claudeFunctions: LambdaFunction[] = [];

  private readonly action: SnsAction;
  private readonly runbookUrl: string;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { config } = props;
    const stack = Stack.of(this);
    this.runbookUrl = config.runbookUrl;

    // CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key, so the topic
    // gets its own key, which CloudWatch may use for this and nothing else.
    const key = new Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the exec-eng-lead alarm topic; CloudWatch alarms may use it to publish',
      enableKeyRotation: true,
    });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'AlarmTopic', {
      displayName: `exec-eng-lead ${config.stage} alarms`,
      masterKey: key,
      enforceSSL: true,
    });
    if (config.alarmEmail) this.topic.addSubscription(new EmailSubscription(config.alarmEmail));
    else Annotations.of(this).addWarningV2('exec-eng-lead:no-alarm-email', 'No alarmEmail in cdk.json: alarms go to an SNS topic nobody is subscribed to.');
    this.action = new SnsAction(this.topic);

    const functions = stack.node.findAll().filter((node): node is LambdaFunction => node instanceof LambdaFunction);
    for (const fn of functions) {
      const name = fn.node.scope?.node.id ?? fn.node.id;
      if (callsClaude(fn)) {
        (fn.node.defaultChild as CfnFunction).reservedConcurrentExecutions = config.claudeReservedConcurrency;
        this.claudeFunctions.push(fn);
      }
      this.alarm(`${name}Errors`, fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }), {
        threshold: 1,
        summary: `${name} threw an error (an invocation failed).`,
        action: "Open the function's log group, filter on level ERROR, fix the cause; failed events are retried, then land in its failure queue.",
        runbook: RUNBOOK.functionErrors,
      });
      this.alarm(`${name}Throttles`, fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }), {
        threshold: 1,
        summary: `${name} was throttled.`,
        action:
          'Check its reserved concurrency (claudeReservedConcurrency in cdk.json) and the account concurrency quota; throttled async events are retried by Lambda.',
        runbook: RUNBOOK.functionThrottles,
      });
    }

    // Queues named as failure queues count too, so one added without the stack's helper is not missed.
    const namedFailureQueues = stack.node.findAll().filter((node): node is Queue => node instanceof Queue && /dead.?letter|dlq|fail/i.test(node.node.id));
    for (const queue of new Set([...props.failureQueues, ...namedFailureQueues])) {
      const name = queue.node.id;
      this.alarm(`${name}NotEmpty`, queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }), {
        threshold: 1,
        summary: `A message is waiting in ${name}: an event or schedule was given up on.`,
        action: 'Read the message to find the event and why it failed, fix the cause, then redrive the queue.',
        runbook: RUNBOOK.failureQueue,
      });
    }

    this.alarm('WebhookApi5xx', props.apiStage.metricServerError({ period: Duration.minutes(5), statistic: 'Sum' }), {
      threshold: 1,
      summary: 'The webhook API answered 5xx (ingest or Slack interactions).',
      action: 'Senders retry 5xx; check the ingest and interactions logs (a 503 means a secret is unset or EventBridge refused the events).',
      runbook: RUNBOOK.api5xx,
    });

    for (const rule of stack.node.findAll().filter((node): node is CfnRule => node instanceof CfnRule)) {
      const ruleName = rule.node.scope?.node.id ?? rule.node.id;
      const metric = new Metric({
        namespace: 'AWS/Events',
        metricName: 'FailedInvocations',
        // Rules on a custom bus report with both dimensions.
        dimensionsMap: { EventBusName: props.bus.eventBusName, RuleName: ruleNameOf(rule) },
        period: Duration.minutes(5),
        statistic: 'Sum',
      });
      this.alarm(`${ruleName}FailedInvocations`, metric, {
        threshold: 1,
        summary: `EventBridge could not deliver events of rule ${ruleName} to its target.`,
        action: "Check the target function exists and may be invoked; undelivered events are in the rule's dead-letter queue.",
        runbook: RUNBOOK.busFailedInvocations,
      });
    }

    this.alarm('OldestUndeliveredDocument', serviceMetric(MetricNames.outboxOldestPendingAgeSeconds, 'Maximum', Duration.minutes(5)), {
      threshold: 15 * 60,
      summary: 'A document has waited more than 15 minutes to be delivered to Slack.',
      action: "Check the outbox sweeper's log and Slack's status; the document is delivered when Slack accepts it.",
      runbook: RUNBOOK.outboxAge,
    });

    this.alarm('SlackSetupProblem', serviceMetric(MetricNames.slackSetupErrors, 'Sum', Duration.minutes(5)), {
      threshold: 1,
      summary: 'Slack refused a document for a reason only a person can fix (the app not in the channel, a revoked token, a missing scope).',
      action:
        'Read the "Slack setup problem" error in the outbox\'s log: it names the channel and the fix. Documents wait and go out by themselves once it is fixed; npm run doctor checks the setup.',
      runbook: RUNBOOK.slackSetup,
    });

    const fallbackRate = new MathExpression({
      expression: '100 * fallbacks / documents',
      usingMetrics: {
        fallbacks: serviceMetric(MetricNames.templateFallbacks, 'Sum', Duration.hours(1)),
        documents: serviceMetric(MetricNames.documentsWritten, 'Sum', Duration.hours(1)),
      },
      period: Duration.hours(1),
      label: 'Template fallbacks, % of documents',
    });
    this.alarm('TemplateFallbackRate', fallbackRate, {
      threshold: config.templateFallbackAlarmPercent,
      comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
      summary: `More than ${config.templateFallbackAlarmPercent}% of the last hour's documents were written by the template instead of Claude.`,
      action: 'See the TemplateFallbacks metric by reason: an API error or timeout (Anthropic status, key), the budget, or grounding failures.',
      runbook: RUNBOOK.fallbackRate,
    });

    this.alarm('TokenBudget', serviceMetric(MetricNames.tokenBudgetUsedPercent, 'Maximum', Duration.minutes(5)), {
      threshold: config.tokenBudgetAlarmPercent,
      summary: `Today's model tokens passed ${config.tokenBudgetAlarmPercent}% of the daily budget (${config.anthropicDailyTokenBudget}).`,
      action:
        'At 100% the template writes until UTC midnight. Find what is writing (DocumentsWritten by kind), raise anthropicDailyTokenBudget if it is real work.',
      runbook: RUNBOOK.tokenBudget,
    });
  }

  private alarm(
    id: string,
    metric: IMetric,
    options: { threshold: number; summary: string; action: string; runbook: string; comparison?: ComparisonOperator },
  ): void {
    const alarm = new Alarm(this, id, {
      metric,
      threshold: options.threshold,
      evaluationPeriods: 1,
      comparisonOperator: options.comparison ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No data means nothing happened: no errors, no failed deliveries, no documents.
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: `${options.summary} What to do: ${options.action} Runbook: ${this.runbookUrl}#${options.runbook}`,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    this.alarms.push(alarm);
  }
}

/** The aggregate (service-wide) series of one of the service's own metrics. */
function serviceMetric(name: MetricName, statistic: string, period: Duration): Metric {
  return new Metric({ namespace: METRICS_NAMESPACE, metricName: name, dimensionsMap: { service: METRICS_SERVICE }, statistic, period });
}

/** A function that writes documents gets the model settings (lib/config.ts `writerEnvironment`), so it may call Claude. */
export function callsClaude(fn: LambdaFunction): boolean {
  const cfn = fn.node.defaultChild as CfnFunction;
  const environment = Stack.of(fn).resolve(cfn.environment) as { variables?: Record<string, unknown> } | undefined;
  return environment?.variables?.[LambdaEnv.anthropicModel] !== undefined;
}

/** A rule on a custom bus answers `Ref` with `<bus>|<rule>`; the metric dimension is the rule name alone. */
function ruleNameOf(rule: CfnRule): string {
  return rule.eventBusName === undefined ? rule.ref : Fn.select(1, Fn.split('|', rule.ref));
}
