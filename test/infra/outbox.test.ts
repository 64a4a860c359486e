import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { LambdaEnv, SERVICE_CREDENTIALS_NAME, secretArnEnvName } from '../../functions/core/lambda-env';
import { actionsOf, environmentOf, logicalIdOf, policyStatementsOfRole, resourcesOf, roleStatements, synthApp } from './app-fixture';

type Statement = Record<string, unknown>;
const leadingKeys = (statement: Statement) =>
  (statement.Condition as { 'ForAllValues:StringLike'?: { 'dynamodb:LeadingKeys'?: string[] } } | undefined)?.['ForAllValues:StringLike']?.[
    'dynamodb:LeadingKeys'
  ];

describe('outbox sweeper (synthesised service stack, cdk-nag included)', () => {
  const { serviceTemplate: template, service } = synthApp();
  const sweeperId = logicalIdOf(service.outbox.sweeper.fn);

  it('is a Lambda on the latest Node runtime with the table name and the Slack token secret', () => {
    template.hasResourceProperties('AWS::Lambda::Function', { Runtime: 'nodejs24.x', Timeout: 60 });
    const env = environmentOf(template, sweeperId);
    expect(Object.keys(env)).toEqual(expect.arrayContaining([LambdaEnv.tableName, secretArnEnvName(SERVICE_CREDENTIALS_NAME)]));
  });

  it('runs every minute from EventBridge Scheduler, through a role that may invoke only the sweeper', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      Target: {
        Arn: { 'Fn::GetAtt': [sweeperId, 'Arn'] },
        RoleArn: { 'Fn::GetAtt': [logicalIdOf(service.outbox.schedulerRole), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } },
      },
    });
    const statements = policyStatementsOfRole(template, logicalIdOf(service.outbox.schedulerRole));
    expect(statements.flatMap(actionsOf).sort()).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
    for (const resource of statements.filter((s) => actionsOf(s).includes('lambda:InvokeFunction')).flatMap(resourcesOf)) {
      expect(JSON.stringify(resource)).toContain(sweeperId);
    }
  });

  it('may touch only the outbox partitions of the table: no scan, no index, no other records', () => {
    const dynamo = roleStatements(template, sweeperId).filter((statement) => actionsOf(statement).some((action) => action.startsWith('dynamodb:')));
    expect(dynamo.length).toBeGreaterThan(0);
    for (const statement of dynamo) {
      expect(leadingKeys(statement)).toEqual(['OUTBOX#*']);
      expect(actionsOf(statement)).not.toContain('dynamodb:Scan');
      expect(JSON.stringify(statement.Resource)).not.toContain('/index/');
    }
    expect(dynamo.flatMap(actionsOf).sort()).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
  });

  it('lets the approval and digest functions, scoped by partition key, deliver through the outbox', () => {
    for (const fn of [service.approvalWorker, service.interactions, service.digest]) {
      const outbox = roleStatements(template, logicalIdOf(fn.fn)).filter((statement) => JSON.stringify(leadingKeys(statement)) === '["OUTBOX#*"]');
      expect(outbox.flatMap(actionsOf)).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']));
    }
  });
});
