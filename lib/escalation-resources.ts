import { Duration } from 'aws-cdk-lib';
import { PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { type Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LambdaEnv, ServiceSecretNames } from '../functions/core/lambda-env';
import { escalationEnvironment } from '../functions/escalations/escalation-config';
import { ESCALATION_LAMBDA_ENV, ESCALATION_TABLE_PARTITIONS } from '../functions/escalations/escalation-partitions';
import { type AppConfig, writerEnvironment } from './config';
import { addSecretArnEnv } from './secret-env';
import { schedulerRole } from './scheduler-role';
import { ServiceFunction, type StackPieceProps } from './service-function';

export interface EscalationResourcesProps extends StackPieceProps {
  config: AppConfig;
}

/**
 * The escalation worker and its timers: the function (fed by the routing table like every
 * worker), a schedule group of its own for the one-time schedules it creates at run time, an
 * execution role that Scheduler assumes and that may invoke only this function, and grants
 * that let the function create, move and delete schedules only in that group and pass only
 * that role, only to Scheduler.
 */
export class EscalationResources extends Construct {
  readonly worker: ServiceFunction;
  readonly scheduleGroup: ScheduleGroup;
  readonly schedulerRole: Role;
  /** Where Scheduler puts a timer invocation it could not deliver. */
  readonly timerDeadLetters: Queue;

  constructor(scope: Construct, id: string, props: EscalationResourcesProps) {
    super(scope, id);
    const { config, table } = props;

    this.scheduleGroup = new ScheduleGroup(this, 'TimerGroup', { scheduleGroupName: `exec-eng-lead-${config.stage}-escalations` });
    this.timerDeadLetters = props.failureQueue('EscalationTimerDeadLetters');
    this.schedulerRole = schedulerRole(this, 'SchedulerRole', 'Lets EventBridge Scheduler invoke the escalation function for escalation timers, nothing else');

    this.worker = new ServiceFunction(this, 'WorkerFunction', {
      entry: 'functions/escalations/handler.ts',
      description: 'Escalates incidents that need the VP: rules, timers (Scheduler), one message each',
      // The writer's own deadline is 40 s per document; the rest is DynamoDB, Scheduler and the outbox.
      timeout: Duration.seconds(60),
      logRetention: props.logRetention,
      environment: {
        [LambdaEnv.tableName]: table.tableName,
        [LambdaEnv.slackChannelIncidents]: config.slackChannelIncidents,
        ...escalationEnvironment(config.escalations),
        [ESCALATION_LAMBDA_ENV.scheduleGroup]: this.scheduleGroup.scheduleGroupName,
        [ESCALATION_LAMBDA_ENV.schedulerRoleArn]: this.schedulerRole.roleArn,
        [ESCALATION_LAMBDA_ENV.timerDeadLetterArn]: this.timerDeadLetters.queueArn,
        ...writerEnvironment(config),
      },
    });
    // The function itself only (timers target its unqualified ARN), not its versions or aliases.
    this.schedulerRole.addToPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.worker.fn.functionArn] }));
    this.timerDeadLetters.grantSendMessages(this.schedulerRole);

    this.scheduleGroup.grantWriteSchedules(this.worker.role);
    this.scheduleGroup.grantDeleteSchedules(this.worker.role);
    this.worker.role.addToPolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.schedulerRole.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    // Incident timelines (read, and the idempotent append), its own records, the outbox, the day's model spend.
    this.worker.role.addToPolicy(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'],
        resources: [table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...ESCALATION_TABLE_PARTITIONS] } },
      }),
    );
    addSecretArnEnv(this.worker.fn, ServiceSecretNames.slackBotToken, props.secret(ServiceSecretNames.slackBotToken));
    if (config.claudeWriter) addSecretArnEnv(this.worker.fn, ServiceSecretNames.anthropicApiKey, props.secret(ServiceSecretNames.anthropicApiKey));
  }
}
