import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { PENDING_APPROVAL_KEY_PREFIXES } from '../functions/adapters/dynamo-approvals';
import { OPEN_INCIDENT_KEY_PREFIXES } from '../functions/adapters/dynamo-incidents';
import { SPEND_KEY_PREFIXES } from '../functions/adapters/dynamo-token-ledger';
import { WRITE_CLAIM_KEY_PREFIXES } from '../functions/adapters/dynamo-write-claims';
import { WEEKLY_KEY_PREFIXES } from '../functions/adapters/dynamo-weekly';
import { LambdaEnv, ServiceSecretNames } from '../functions/core/lambda-env';
import { tableDefinition } from '../functions/core/table-definition';
import { type AppConfig, digestEnvironment, weeklyEnvironment, writerEnvironment } from './config';
import { grantOutboxAccess } from './outbox-resources';
import { schedulerCron, schedulerRole } from './scheduler-role';
import { addSecretArnEnv } from './secret-env';
import { ServiceFunction, type StackPieceProps } from './service-function';

export interface WeeklyResourcesProps extends StackPieceProps {
  config: AppConfig;
}

/**
 * The weekly update for the E-staff: a function run by an EventBridge Scheduler cron in its
 * time zone (Fridays 15:00 by default), through a role that may invoke only it. It reads the
 * time index and the two "open now" partitions, writes only its own records, and posts
 * through the outbox.
 */
export class WeeklyResources extends Construct {
  readonly fn: ServiceFunction;
  readonly schedule: Schedule;
  readonly schedulerRole: Role;

  constructor(scope: Construct, id: string, props: WeeklyResourcesProps) {
    super(scope, id);
    const { config, table } = props;
    this.fn = new ServiceFunction(this, 'WeeklyFunction', {
      entry: 'functions/weekly/handler.ts',
      description: 'Writes the weekly engineering update for the E-staff from the time index and posts it to Slack',
      // Reads up to a quarter of records (paginated queries) and writes one long document: 120 s, as the digest.
      timeout: Duration.seconds(120),
      logRetention: props.logRetention,
      environment: { [LambdaEnv.tableName]: table.tableName, ...digestEnvironment(config), ...weeklyEnvironment(config), ...writerEnvironment(config) },
    });
    grantWeeklyAccess(this.fn.role, table);
    grantOutboxAccess(this.fn.role, table);
    addSecretArnEnv(this.fn.fn, ServiceSecretNames.slackBotToken, props.secret(ServiceSecretNames.slackBotToken));
    if (config.claudeWriter) addSecretArnEnv(this.fn.fn, ServiceSecretNames.anthropicApiKey, props.secret(ServiceSecretNames.anthropicApiKey));

    this.schedulerRole = schedulerRole(this, 'SchedulerRole', 'Lets EventBridge Scheduler invoke the weekly update function, nothing else');
    this.schedule = new Schedule(this, 'WeeklySchedule', {
      description: 'The weekly engineering update for the E-staff',
      schedule: ScheduleExpression.cron(schedulerCron(config.weekly.schedule, config.weekly.timeZone ?? config.digest.timeZone)),
      target: new LambdaInvoke(this.fn.fn, { retryAttempts: 2, role: this.schedulerRole, deadLetterQueue: props.failureQueue('WeeklyScheduleDeadLetters') }),
    });
  }
}

/** The time index, the two "open now" partitions, the day's model spend, and its own records only. */
function grantWeeklyAccess(role: Role, table: ITableV2): void {
  role.addToPolicy(new PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${table.tableArn}/index/${tableDefinition.timeIndex.name}`] }));
  const byKeys = (actions: string[], keys: string[]) =>
    role.addToPolicy(
      new PolicyStatement({ actions, resources: [table.tableArn], conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': keys } } }),
    );
  byKeys(['dynamodb:Query'], [...OPEN_INCIDENT_KEY_PREFIXES, ...PENDING_APPROVAL_KEY_PREFIXES]);
  // WRITE#: the write-once claim of its document.
  byKeys(['dynamodb:GetItem', 'dynamodb:UpdateItem'], [...WEEKLY_KEY_PREFIXES, ...SPEND_KEY_PREFIXES, ...WRITE_CLAIM_KEY_PREFIXES]);
}
