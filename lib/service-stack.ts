import { Annotations, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, type HttpRoute, HttpMethod, type HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { LambdaEnv, ServiceSecretNames } from '../functions/core/lambda-env';
import { WRITE_CLAIM_KEY_PREFIXES } from '../functions/adapters/dynamo-write-claims';
import { type WorkerName, routes } from '../functions/core/routing';
import { tableDefinition } from '../functions/core/table-definition';
import { APPROVAL_KEY_PREFIXES, PENDING_APPROVAL_KEY_PREFIXES } from '../functions/adapters/dynamo-approvals';
import { DIGEST_KEY_PREFIXES } from '../functions/adapters/dynamo-digests';
import { OPEN_INCIDENT_KEY_PREFIXES } from '../functions/adapters/dynamo-incidents';
import { SPEND_KEY_PREFIXES } from '../functions/adapters/dynamo-token-ledger';
import { sources } from '../functions/sources/registry';
import { type AppConfig, digestEnvironment, writerEnvironment } from './config';
import { attentionEnvironment } from '../functions/incidents/attention-config';
import { toCdkEventPattern } from './event-pattern';
import { addSecretArnEnv } from './secret-env';
import { Monitoring } from './monitoring';
import { EscalationResources } from './escalation-resources';
import { AskResources } from './ask-resources';
import { grantOutboxAccess, OutboxResources } from './outbox-resources';
import { schedulerCron, schedulerRole } from './scheduler-role';
import { ServiceFunction } from './service-function';
import { WeeklyResources } from './weekly-resources';
import { DEPLOYED_STATUSES_ENV } from '../functions/history/time-indexed';

export interface ServiceStackProps extends StackProps {
  config: AppConfig;
  table: ITableV2;
  bus: IEventBus;
  /** Secrets keyed by logical name; must hold every source's secret and the service secrets. */
  secrets: ReadonlyMap<string, ISecret>;
}

/** Slack's Interactivity Request URL (Approve/Reject buttons, the reason modal). */
export const INTERACTIONS_ROUTE_PATH = '/slack/interactions';

/** Slack's Events API Request URL (mentions, direct messages, the assistant pane). */
export const SLACK_EVENTS_ROUTE_PATH = '/slack/events';

/** Webhook path; `{source}` is a registry name and reaches ingest as a path parameter. */
export const WEBHOOK_ROUTE_PATH = '/webhooks/{source}';

/** Queue settings shared by every dead-letter and failure queue. */
const failureQueueProps = {
  enforceSSL: true,
  encryption: QueueEncryption.SQS_MANAGED,
  retentionPeriod: Duration.days(14),
};

/** The stateless part: HTTP API, ingest, workers and the bus rules that feed them. */
export class ServiceStack extends Stack {
  readonly ingest: ServiceFunction;
  readonly incidentWorker: ServiceFunction;
  readonly historyWorker: ServiceFunction;
  readonly approvalWorker: ServiceFunction;
  readonly interactions: ServiceFunction;
  readonly approvalExpiry: ServiceFunction;
  readonly expirySchedule: Schedule;
  readonly expirySchedulerRole: Role;
  readonly digest: ServiceFunction;
  readonly digestSchedule: Schedule;
  readonly digestSchedulerRole: Role;
  readonly interactionRoutes: HttpRoute[];
  /** The function behind each worker name of the routing table. */
  readonly workers: Record<WorkerName, ServiceFunction>;
  readonly api: HttpApi;
  readonly apiStage: HttpStage;
  readonly webhookRoutes: HttpRoute[];
  /** Queues that only receive failures: EventBridge DLQs per route, async-failure queues per worker. */
  readonly failureQueues: Queue[] = [];
  /** Alarms, their SNS topic and reserved concurrency for the functions that call Claude. */
  readonly monitoring: Monitoring;
  /** The escalation worker, its schedule group and the role Scheduler invokes it with. */
  readonly escalations: EscalationResources;
  /** The outbox sweeper and its every-minute schedule. */
  readonly outbox: OutboxResources;
  /** The weekly update for the E-staff, its schedule and the role Scheduler invokes it with. */
  readonly weekly: WeeklyResources;
  /** Questions asked in Slack: the Events API function and the answer worker. */
  readonly ask: AskResources;
  readonly slackEventRoutes: HttpRoute[];

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { config, table, bus } = props;
    const logRetention = config.logRetentionDays;
    const secret = (name: string): ISecret => {
      const found = props.secrets.get(name);
      if (found === undefined) throw new Error(`ServiceStack needs the secret ${name}, which the stateful stack did not provide`);
      return found;
    };

    // Ingest: verify, record and publish every webhook delivery.
    this.ingest = new ServiceFunction(this, 'IngestFunction', {
      entry: 'functions/ingest/handler.ts',
      description: 'Verifies webhook deliveries, records them once and publishes canonical events',
      // Senders want a 2xx within 5-10 s; the work is one HMAC, one conditional put, one PutEvents.
      // 10 s covers a cold start plus a Secrets Manager read; 512 MB keeps that cold start short.
      timeout: Duration.seconds(10),
      logRetention,
      environment: {
        [LambdaEnv.tableName]: table.tableName,
        [LambdaEnv.eventBusName]: bus.eventBusName,
        [LambdaEnv.maxBodyBytes]: String(config.maxBodyBytes),
        [LambdaEnv.hiringRetentionDays]: String(config.hiringRetentionDays),
        [LambdaEnv.leverTimestampWindowMs]: String(config.leverTimestampWindowMs),
      },
    });
    table.grantReadWriteData(this.ingest.fn);
    bus.grantPutEventsTo(this.ingest.fn);
    for (const source of sources) {
      addSecretArnEnv(this.ingest.fn, source.secretName, secret(source.secretName));
    }

    // Incident worker: turns incident events into briefs and Slack threads.
    this.incidentWorker = new ServiceFunction(this, 'IncidentWorkerFunction', {
      entry: 'functions/incidents/handler.ts',
      description: 'Writes incident briefs to Slack and keeps their threads up to date',
      // The Claude writer's own deadline is 40 s per document; the rest is for Slack and DynamoDB.
      timeout: Duration.seconds(60),
      logRetention,
      environment: {
        [LambdaEnv.tableName]: table.tableName,
        [LambdaEnv.slackChannelIncidents]: config.slackChannelIncidents,
        ...attentionEnvironment(config.attention),
        ...writerEnvironment(config),
      },
    });
    table.grantReadWriteData(this.incidentWorker.fn);
    addSecretArnEnv(this.incidentWorker.fn, ServiceSecretNames.slackBotToken, secret(ServiceSecretNames.slackBotToken));
    if (config.claudeWriter) {
      addSecretArnEnv(this.incidentWorker.fn, ServiceSecretNames.anthropicApiKey, secret(ServiceSecretNames.anthropicApiKey));
    }

    // History worker: keeps each application's and each Jira issue's history (previous
    // stages, time in stage, cycle time; what the digest reads and an erasure deletes).
    this.historyWorker = new ServiceFunction(this, 'HistoryWorkerFunction', {
      entry: 'functions/history/handler.ts',
      description: 'Records applicant-tracking events and Jira transitions on their histories',
      // A few DynamoDB reads and writes; 30 s is generous slack for throttled retries. Little memory needed.
      timeout: Duration.seconds(30),
      memorySize: 256,
      logRetention,
      environment: {
        [LambdaEnv.tableName]: table.tableName,
        [LambdaEnv.hiringRetentionDays]: String(config.hiringRetentionDays),
        // Which Jira transitions the digest reads by time: only those go on the time index.
        [DEPLOYED_STATUSES_ENV]: config.digest.deployedStatuses.join(','),
      },
    });
    table.grantReadWriteData(this.historyWorker.fn);

    // Approvals: the worker (open, post, cancel, refresh, write back), Slack interactions, expiry.
    const approvalEnv = {
      [LambdaEnv.tableName]: table.tableName,
      [LambdaEnv.eventBusName]: bus.eventBusName,
    };
    this.approvalWorker = new ServiceFunction(this, 'ApprovalWorkerFunction', {
      entry: 'functions/approvals/worker-handler.ts',
      description: 'Opens approvals from triggers, posts requests, shows decisions, writes back to Jira',
      // Writer deadline (40 s) plus Slack and the Jira write-back.
      timeout: Duration.seconds(60),
      logRetention,
      environment: {
        ...approvalEnv,
        [LambdaEnv.slackChannelApprovals]: config.slackChannelApprovals,
        [LambdaEnv.slackApproverIds]: config.slackApproverIds.join(','),
        [LambdaEnv.approvalsConfig]: JSON.stringify(config.approvals),
        [LambdaEnv.hiringRetentionDays]: String(config.hiringRetentionDays),
        ...writerEnvironment(config),
      },
    });
    this.interactions = new ServiceFunction(this, 'SlackInteractionsFunction', {
      entry: 'functions/approvals/interactions-handler.ts',
      description: 'Verifies Slack interactions and records approval decisions exactly once',
      // Slack wants the answer within 3 s; 10 s only lets a slow cold start finish rather than fail twice.
      timeout: Duration.seconds(10),
      logRetention,
      environment: approvalEnv,
    });
    this.approvalExpiry = new ServiceFunction(this, 'ApprovalExpiryFunction', {
      entry: 'functions/approvals/expiry-handler.ts',
      description: 'Expires pending approvals past their deadline',
      // One query of the pending partition and a conditional update per overdue approval.
      timeout: Duration.seconds(30),
      memorySize: 256,
      logRetention,
      environment: approvalEnv,
    });
    // Approval functions touch only approval records (and the worker the day's model spend and its documents' write-once claims).
    const approvalItems = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'];
    const approvalKeys = [...APPROVAL_KEY_PREFIXES, ...PENDING_APPROVAL_KEY_PREFIXES];
    grantByLeadingKeys(this.interactions.role, table, approvalItems, approvalKeys);
    grantByLeadingKeys(this.approvalExpiry.role, table, approvalItems, approvalKeys);
    grantByLeadingKeys(this.approvalWorker.role, table, approvalItems, [...approvalKeys, ...SPEND_KEY_PREFIXES, ...WRITE_CLAIM_KEY_PREFIXES]);
    for (const fn of [this.approvalWorker, this.interactions, this.approvalExpiry]) bus.grantPutEventsTo(fn.fn);
    for (const fn of [this.approvalWorker, this.interactions]) {
      addSecretArnEnv(fn.fn, ServiceSecretNames.slackBotToken, secret(ServiceSecretNames.slackBotToken));
    }
    addSecretArnEnv(this.interactions.fn, ServiceSecretNames.slackSigningSecret, secret(ServiceSecretNames.slackSigningSecret));
    if (config.claudeWriter) {
      addSecretArnEnv(this.approvalWorker.fn, ServiceSecretNames.anthropicApiKey, secret(ServiceSecretNames.anthropicApiKey));
    }
    if (config.approvals.writeBack.enabled) {
      addSecretArnEnv(this.approvalWorker.fn, ServiceSecretNames.jiraApiToken, secret(ServiceSecretNames.jiraApiToken));
    }
    this.expirySchedulerRole = schedulerRole(
      this,
      'ApprovalExpirySchedulerRole',
      'Lets EventBridge Scheduler invoke the approval expiry function, nothing else',
    );
    this.expirySchedule = new Schedule(this, 'ApprovalExpirySchedule', {
      description: 'Expires pending approvals past their deadline',
      schedule: ScheduleExpression.rate(Duration.minutes(config.approvalExpiryRateMinutes)),
      target: new LambdaInvoke(this.approvalExpiry.fn, {
        retryAttempts: 2,
        role: this.expirySchedulerRole,
        deadLetterQueue: this.failureQueue('ApprovalExpiryScheduleDeadLetters'),
      }),
    });

    // Morning digest: EventBridge Scheduler cron in the configured time zone.
    this.digest = new ServiceFunction(this, 'DigestFunction', {
      entry: 'functions/digest/handler.ts',
      description: 'Writes the morning digest from the time index and posts it to Slack',
      // Reads the night's records (paginated queries) and writes one long document: 120 s.
      timeout: Duration.seconds(120),
      logRetention,
      environment: {
        [LambdaEnv.tableName]: table.tableName,
        ...digestEnvironment(config),
        ...attentionEnvironment(config.attention),
        ...writerEnvironment(config),
      },
    });
    grantDigestAccess(this.digest.role, table);
    addSecretArnEnv(this.digest.fn, ServiceSecretNames.slackBotToken, secret(ServiceSecretNames.slackBotToken));
    if (config.claudeWriter) addSecretArnEnv(this.digest.fn, ServiceSecretNames.anthropicApiKey, secret(ServiceSecretNames.anthropicApiKey));
    this.digestSchedulerRole = schedulerRole(this, 'DigestSchedulerRole', 'Lets EventBridge Scheduler invoke the digest function, nothing else');
    this.digestSchedule = new Schedule(this, 'DigestSchedule', {
      description: 'The morning digest',
      schedule: ScheduleExpression.cron(schedulerCron(config.digest.schedule, config.digest.timeZone)),
      target: new LambdaInvoke(this.digest.fn, {
        retryAttempts: 2,
        role: this.digestSchedulerRole,
        deadLetterQueue: this.failureQueue('DigestScheduleDeadLetters'),
      }),
    });

    this.escalations = new EscalationResources(this, 'Escalations', {
      config,
      table,
      logRetention,
      secret,
      failureQueue: (queueId) => this.failureQueue(queueId),
    });
    this.weekly = new WeeklyResources(this, 'Weekly', { config, table, logRetention, secret, failureQueue: (queueId) => this.failureQueue(queueId) });
    // Outbox: the sweeper; and the approval and digest functions deliver through it (they are scoped by partition key).
    this.outbox = new OutboxResources(this, 'Outbox', { table, logRetention, secret, failureQueue: (queueId) => this.failureQueue(queueId) });
    for (const fn of [this.approvalWorker, this.interactions, this.digest]) grantOutboxAccess(fn.role, table);

    this.ask = new AskResources(this, 'Ask', { config, table, bus, logRetention, secret, failureQueue: (queueId) => this.failureQueue(queueId) });

    this.workers = {
      incident: this.incidentWorker,
      history: this.historyWorker,
      approval: this.approvalWorker,
      escalation: this.escalations.worker,
      answer: this.ask.worker,
    };
    for (const [name, worker] of Object.entries(this.workers)) {
      // EventBridge invokes asynchronously: without this, an event whose handler keeps failing vanishes.
      const failed = new Queue(this, `${pascal(name)}WorkerFailedInvocations`, failureQueueProps);
      this.failureQueues.push(failed);
      worker.fn.configureAsyncInvoke({
        onFailure: new SqsDestination(failed),
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
      });
    }

    for (const route of routes) {
      const deadLetterQueue = new Queue(this, `${route.id}DeadLetterQueue`, failureQueueProps);
      this.failureQueues.push(deadLetterQueue);
      new Rule(this, route.id, {
        eventBus: bus,
        description: route.description,
        eventPattern: toCdkEventPattern(route.pattern),
        targets: [
          new LambdaFunction(this.workers[route.worker].fn, {
            deadLetterQueue,
            retryAttempts: 8,
            maxEventAge: Duration.hours(6),
          }),
        ],
      });
    }

    // HTTP API: one route for every source; ingest looks the source up in the registry.
    const accessLogGroup = new LogGroup(this, 'WebhookApiAccessLogs', { retention: logRetention });
    this.api = new HttpApi(this, 'WebhookApi', {
      apiName: `exec-eng-lead-${config.stage}`,
      description: 'Vendor webhooks at POST /webhooks/{source}; Slack interactivity at POST /slack/interactions, events at POST /slack/events',
      createDefaultStage: false,
    });
    this.apiStage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      // Webhook traffic is bursty but small; the cap (cdk.json apiThrottle) bounds cost if a sender misbehaves.
      throttle: config.apiThrottle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogGroup),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            sourceIp: '$context.identity.sourceIp',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            responseLength: '$context.responseLength',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    this.webhookRoutes = this.api.addRoutes({
      path: WEBHOOK_ROUTE_PATH,
      methods: [HttpMethod.POST],
      integration: new HttpLambdaIntegration('IngestIntegration', this.ingest.fn),
    });

    this.interactionRoutes = this.api.addRoutes({
      path: INTERACTIONS_ROUTE_PATH,
      methods: [HttpMethod.POST],
      integration: new HttpLambdaIntegration('SlackInteractionsIntegration', this.interactions.fn),
    });

    this.slackEventRoutes = this.api.addRoutes({
      path: SLACK_EVENTS_ROUTE_PATH,
      methods: [HttpMethod.POST],
      integration: new HttpLambdaIntegration('SlackEventsIntegration', this.ask.events.fn),
    });
    new CfnOutput(this, 'SlackEventsUrl', {
      value: `${this.apiStage.url}${SLACK_EVENTS_ROUTE_PATH.slice(1)}`,
      description: "Paste into the Slack app's Event Subscriptions → Request URL (npm run slack:manifest fills it in)",
    });

    new CfnOutput(this, 'SlackInteractivityUrl', {
      value: `${this.apiStage.url}${INTERACTIONS_ROUTE_PATH.slice(1)}`,
      description: "Paste into the Slack app's Interactivity & Shortcuts → Request URL",
    });
    if (config.slackApproverIds.length === 0 && config.approvals.triggers.every((trigger) => !trigger.approvers?.length)) {
      // Not an error, so a first deploy works, but every click would be refused.
      Annotations.of(this).addWarningV2(
        'exec-eng-lead:no-approvers',
        'No approvers: set slackApproverIds (or approvers on each trigger) in cdk.json, or every approval click is refused.',
      );
    }

    new CfnOutput(this, 'WebhookApiUrl', {
      value: this.apiStage.url,
      description: `Base URL; each source posts to ${WEBHOOK_ROUTE_PATH.slice(1)} below it`,
    });

    // Last, so it finds every function, queue and rule above (alarms, Claude concurrency caps).
    this.monitoring = new Monitoring(this, 'Monitoring', { config, bus, apiStage: this.apiStage, failureQueues: this.failureQueues });
  }

  /** A TLS-only queue where failures land (a target's dead letters), kept with the others. */
  private failureQueue(id: string): Queue {
    const queue = new Queue(this, id, failureQueueProps);
    this.failureQueues.push(queue);
    return queue;
  }
}

/** Lets a role act on the table only on items whose partition key matches one of `keys` (`*` allowed). */
function grantByLeadingKeys(role: Role, table: ITableV2, actions: string[], keys: string[]): void {
  role.addToPolicy(new PolicyStatement({ actions, resources: [table.tableArn], conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': keys } } }));
}

/**
 * The digest reads the time index, the two "open now" partitions and the day's model spend, and
 * writes only its own records: each grant is limited to those partition keys.
 */
function grantDigestAccess(role: Role, table: ITableV2): void {
  role.addToPolicy(new PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${table.tableArn}/index/${tableDefinition.timeIndex.name}`] }));
  grantByLeadingKeys(role, table, ['dynamodb:Query'], [...OPEN_INCIDENT_KEY_PREFIXES, ...PENDING_APPROVAL_KEY_PREFIXES]);
  grantByLeadingKeys(role, table, ['dynamodb:GetItem', 'dynamodb:UpdateItem'], [...DIGEST_KEY_PREFIXES, ...SPEND_KEY_PREFIXES, ...WRITE_CLAIM_KEY_PREFIXES]);
}

function pascal(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
