import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { OUTBOX_KEY_PREFIXES } from '../functions/adapters/dynamo-outbox';
import { LambdaEnv, ServiceSecretNames } from '../functions/core/lambda-env';
import { addSecretArnEnv } from './secret-env';
import { schedulerRole } from './scheduler-role';
import { ServiceFunction, type StackPieceProps } from './service-function';

/** What any function that delivers through the outbox may do, and only on the outbox's partitions. */
export const OUTBOX_ITEM_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query'];

export type OutboxResourcesProps = StackPieceProps;

/**
 * The outbox sweeper: a function that delivers pending documents again (and marks those
 * pending for a day failed), run every minute by EventBridge Scheduler through a role that may
 * invoke only it. It reads and writes only the outbox's partitions of the table.
 */
export class OutboxResources extends Construct {
  readonly sweeper: ServiceFunction;
  readonly schedule: Schedule;
  readonly schedulerRole: Role;

  constructor(scope: Construct, id: string, props: OutboxResourcesProps) {
    super(scope, id);
    this.sweeper = new ServiceFunction(this, 'SweeperFunction', {
      entry: 'functions/outbox/sweeper-handler.ts',
      description: 'Delivers pending outbox documents to Slack again, in thread order and paced; marks them failed after 24 h',
      // The sweep stops starting work at 45 s; the rest is one Slack call's timeout and the records.
      timeout: Duration.seconds(60),
      // DynamoDB reads and writes and one Slack call at a time per channel: little memory needed.
      memorySize: 256,
      logRetention: props.logRetention,
      environment: { [LambdaEnv.tableName]: props.table.tableName },
    });
    grantOutboxAccess(this.sweeper.role, props.table);
    addSecretArnEnv(this.sweeper.fn, ServiceSecretNames.slackBotToken, props.secret(ServiceSecretNames.slackBotToken));

    this.schedulerRole = schedulerRole(this, 'SchedulerRole', 'Lets EventBridge Scheduler invoke the outbox sweeper, nothing else');
    this.schedule = new Schedule(this, 'SweepSchedule', {
      description: 'Delivers pending outbox documents every minute',
      schedule: ScheduleExpression.rate(Duration.minutes(1)),
      // No retries: the next minute's sweep is the retry.
      target: new LambdaInvoke(this.sweeper.fn, {
        retryAttempts: 0,
        role: this.schedulerRole,
        deadLetterQueue: props.failureQueue('OutboxSweepScheduleDeadLetters'),
      }),
    });
  }
}

/** Lets `role` use the outbox's items (records, due index, thread entries) and nothing else in the table. */
export function grantOutboxAccess(role: Role, table: ITableV2): void {
  role.addToPolicy(
    new PolicyStatement({
      actions: OUTBOX_ITEM_ACTIONS,
      resources: [table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...OUTBOX_KEY_PREFIXES] } },
    }),
  );
}
