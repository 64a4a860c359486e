import { Duration } from 'aws-cdk-lib';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { PENDING_APPROVAL_KEY_PREFIXES } from '../functions/adapters/dynamo-approvals';
import { CONVERSATION_KEY_PREFIX } from '../functions/adapters/dynamo-conversations';
import { DIGEST_KEY_PREFIXES } from '../functions/adapters/dynamo-digests';
import { INCIDENT_KEY_PREFIXES, OPEN_INCIDENT_KEY_PREFIXES } from '../functions/adapters/dynamo-incidents';
import { SPEND_KEY_PREFIXES } from '../functions/adapters/dynamo-token-ledger';
import { WRITE_CLAIM_KEY_PREFIXES } from '../functions/adapters/dynamo-write-claims';
import { ASK_ENV } from '../functions/ask/ask-config';
import { LambdaEnv, ServiceSecretNames } from '../functions/core/lambda-env';
import { tableDefinition } from '../functions/core/table-definition';
import { type AppConfig, digestEnvironment, writerEnvironment } from './config';
import { grantOutboxAccess } from './outbox-resources';
import { addSecretArnEnv } from './secret-env';
import { ServiceFunction, type StackPieceProps } from './service-function';

export interface AskResourcesProps extends StackPieceProps {
  config: AppConfig;
  bus: IEventBus;
}

/** Records the answer worker reads and never writes: incident timelines, open incidents, pending approvals, digests. */
export const ASK_READ_PARTITIONS = [...INCIDENT_KEY_PREFIXES, ...OPEN_INCIDENT_KEY_PREFIXES, ...PENDING_APPROVAL_KEY_PREFIXES, ...DIGEST_KEY_PREFIXES] as const;

/**
 * Questions asked in Slack: the Events API function behind `POST /slack/events` (verify, record
 * the event id once, publish, answer Slack at once) and the answer worker fed by the routing
 * table (read-only tools, Claude or the code-built answerer, the outbox). Each role gets only
 * what its function uses; the worker's table access is read-only outside its conversation
 * turns, the write-once claims of its answers, the day's model spend and the outbox.
 */
export class AskResources extends Construct {
  readonly events: ServiceFunction;
  readonly worker: ServiceFunction;

  constructor(scope: Construct, id: string, props: AskResourcesProps) {
    super(scope, id);
    const { config, table, bus } = props;

    this.events = new ServiceFunction(this, 'SlackEventsFunction', {
      entry: 'functions/ask/events-handler.ts',
      description: 'Verifies Slack Events API requests, records each event once and publishes questions',
      // Slack wants a 2xx within 3 s; 10 s only lets a slow cold start finish rather than fail twice.
      timeout: Duration.seconds(10),
      logRetention: props.logRetention,
      environment: { [LambdaEnv.tableName]: table.tableName, [LambdaEnv.eventBusName]: bus.eventBusName },
    });
    bus.grantPutEventsTo(this.events.fn);
    addSecretArnEnv(this.events.fn, ServiceSecretNames.slackSigningSecret, props.secret(ServiceSecretNames.slackSigningSecret));
    // Only its own event records (the ingest's delivery records, source `slack`).
    grantItems(this.events.role, table, ['dynamodb:PutItem', 'dynamodb:UpdateItem'], ['DELIVERY#slack#*']);

    this.worker = new ServiceFunction(this, 'AnswerWorkerFunction', {
      entry: 'functions/ask/worker-handler.ts',
      description: 'Answers questions asked in Slack from read-only tools over the store, in the question thread',
      // The answerer's own deadline is 40 s for every model call of a question; the rest is reads and the outbox.
      timeout: Duration.seconds(60),
      logRetention: props.logRetention,
      environment: {
        [LambdaEnv.tableName]: table.tableName,
        ...askEnvironment(config),
        ...digestEnvironment(config),
        ...writerEnvironment(config),
      },
    });
    const role = this.worker.role;
    role.addToPolicy(new PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${table.tableArn}/index/${tableDefinition.timeIndex.name}`] }));
    grantItems(role, table, ['dynamodb:GetItem', 'dynamodb:Query'], [...ASK_READ_PARTITIONS]);
    grantItems(role, table, ['dynamodb:GetItem', 'dynamodb:UpdateItem'], [...SPEND_KEY_PREFIXES]);
    grantItems(role, table, ['dynamodb:UpdateItem', 'dynamodb:Query'], [`${CONVERSATION_KEY_PREFIX}*`]);
    // WRITE#: the write-once claim of each answer (one model call per question).
    grantItems(role, table, ['dynamodb:UpdateItem'], [...WRITE_CLAIM_KEY_PREFIXES]);
    grantOutboxAccess(role, table);
    addSecretArnEnv(this.worker.fn, ServiceSecretNames.slackBotToken, props.secret(ServiceSecretNames.slackBotToken));
    if (config.claudeWriter) addSecretArnEnv(this.worker.fn, ServiceSecretNames.anthropicApiKey, props.secret(ServiceSecretNames.anthropicApiKey));
  }
}

/** Who may ask, who may ask about hiring, the tool-call cap: the cdk.json `ask` settings, defaults filled in. */
export function askEnvironment(config: AppConfig): Record<string, string> {
  const allowed =
    config.ask.allowedUserIds.length > 0
      ? config.ask.allowedUserIds
      : [...new Set([...config.slackApproverIds, ...(config.escalations.userId ? [config.escalations.userId] : [])])];
  return {
    [ASK_ENV.allowedUserIds]: allowed.join(','),
    [ASK_ENV.hiringViewerIds]: (config.ask.hiringViewerIds.length > 0 ? config.ask.hiringViewerIds : allowed).join(','),
    [ASK_ENV.maxToolCalls]: String(config.ask.maxToolCalls),
  };
}

function grantItems(role: Role, table: ITableV2, actions: string[], keys: string[]): void {
  role.addToPolicy(new PolicyStatement({ actions, resources: [table.tableArn], conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': keys } } }));
}
