import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { LambdaEnv, SERVICE_CREDENTIALS_NAME, secretArnEnvName } from '../../functions/core/lambda-env';
import { WEEKLY_ENV } from '../../functions/weekly/weekly-config';
import { parseConfig } from '../../lib/config';
import { actionsOf, cdkJsonConfig, environmentOf, logicalIdOf, policyStatementsOfRole, resourcesOf, roleStatements, synthApp } from './app-fixture';

type Statement = Record<string, unknown>;
const leadingKeys = (statement: Statement) =>
  (statement.Condition as { 'ForAllValues:StringLike'?: { 'dynamodb:LeadingKeys'?: string[] } } | undefined)?.['ForAllValues:StringLike']?.[
    'dynamodb:LeadingKeys'
  ];

describe('weekly update (synthesised service stack, cdk-nag included)', () => {
  const { serviceTemplate: template, service } = synthApp({
    weekly: {
      schedule: '30 16 ? * THU *',
      timeZone: 'Europe/London',
      channel: '#e-staff',
      workingHours: '08:00-17:00',
      investmentTargets: { 'tech debt': 0.2 },
      askKinds: ['budget request'],
    },
  });
  const weeklyId = logicalIdOf(service.weekly.fn.fn);

  it('is a Lambda with the weekly and digest settings, the table name and the Slack token secret', () => {
    const env = environmentOf(template, weeklyId);
    expect(env).toMatchObject({
      [WEEKLY_ENV.cron]: '30 16 ? * THU *',
      [WEEKLY_ENV.timeZone]: 'Europe/London',
      [WEEKLY_ENV.channel]: '#e-staff',
      [WEEKLY_ENV.workingHours]: '08:00-17:00',
      [WEEKLY_ENV.investmentTargets]: '{"tech debt":0.2}',
      [WEEKLY_ENV.askKinds]: 'budget request',
      DIGEST_SLO_TARGET: '0.9999',
    });
    expect(Object.keys(env)).toEqual(expect.arrayContaining([LambdaEnv.tableName, secretArnEnvName(SERVICE_CREDENTIALS_NAME)]));
  });

  it('runs from an EventBridge Scheduler cron in its zone, through a role that may invoke only it', () => {
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(30 16 ? * THU *)',
      ScheduleExpressionTimezone: 'Europe/London',
      Target: {
        Arn: { 'Fn::GetAtt': [weeklyId, 'Arn'] },
        RoleArn: { 'Fn::GetAtt': [logicalIdOf(service.weekly.schedulerRole), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } },
      },
    });
    const statements = policyStatementsOfRole(template, logicalIdOf(service.weekly.schedulerRole));
    for (const resource of statements.filter((s) => actionsOf(s).includes('lambda:InvokeFunction')).flatMap(resourcesOf))
      expect(JSON.stringify(resource)).toContain(weeklyId);
  });

  it('reads the time index and the open-now partitions, writes only its own records and the outbox: no scan', () => {
    const dynamo = roleStatements(template, weeklyId).filter((statement) => actionsOf(statement).some((action) => action.startsWith('dynamodb:')));
    expect(dynamo.flatMap(actionsOf)).not.toContain('dynamodb:Scan');
    for (const statement of dynamo) {
      const onIndex = JSON.stringify(statement.Resource).includes('/index/byTime');
      if (onIndex) expect(actionsOf(statement)).toEqual(['dynamodb:Query']);
      else expect(leadingKeys(statement)).toBeDefined();
    }
    const keys = dynamo.flatMap((statement) => leadingKeys(statement) ?? []);
    expect(keys).toEqual(expect.arrayContaining(['WEEKLY#*', 'INCIDENTS#OPEN', 'APPROVALS#PENDING', 'OUTBOX#*']));
    expect(keys).not.toContain('DIGEST#*');
  });

  it('gets the alarms every function gets', () => {
    const alarms = template.findResources('AWS::CloudWatch::Alarm');
    expect(JSON.stringify(alarms)).toContain(weeklyId);
  });

  it('refuses a bad weekly setting at synth, naming the key', () => {
    expect(() => parseConfig({ ...cdkJsonConfig, weekly: { schedule: '0 15 * * FRI *' } })).toThrow(/"weekly.schedule"/);
    expect(() => parseConfig({ ...cdkJsonConfig, weekly: { workingHours: '9 to 5' } })).toThrow(/"weekly.workingHours"/);
    expect(() => parseConfig({ ...cdkJsonConfig, weekly: { investmentTargets: { moonshots: 0.1 } } })).toThrow(/"weekly.investmentTargets.moonshots"/);
    expect(() => parseConfig({ ...cdkJsonConfig, weekly: { investmentCategories: { feature: {} } } })).toThrow(/"weekly.investmentCategories.feature"/);
  });
});
