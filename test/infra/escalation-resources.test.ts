import { describe, expect, it } from 'vitest';
import { routes } from '../../functions/core/routing';
import { ESCALATION_ENV } from '../../functions/escalations/escalation-config';
import { ESCALATION_LAMBDA_ENV } from '../../functions/escalations/escalation-partitions';
import { ConfigInvalidError, parseConfig } from '../../lib/config';
import {
  actionsOf,
  cdkJsonConfig,
  environmentOf,
  logicalIdOf,
  policyStatementsOfRole,
  propertiesOf,
  resourcesOf,
  roleStatements,
  synthApp,
} from './app-fixture';

describe('escalation resources', () => {
  const { serviceTemplate: template, service } = synthApp({
    escalations: { p1UnacknowledgedAfter: '5m', p2UnacknowledgedAfter: '20m', p1OpenAfter: '3h', stormThreshold: 4, channel: '#vp-pages', userId: 'U0VPENG' },
  });
  const { escalations } = service;
  const functionId = logicalIdOf(escalations.worker.fn);
  const roleId = logicalIdOf(escalations.schedulerRole);
  const groupId = logicalIdOf(escalations.scheduleGroup);
  const queueId = logicalIdOf(escalations.timerDeadLetters);
  const functionArn = { 'Fn::GetAtt': [functionId, 'Arn'] };

  it('has a schedule group of its own', () => {
    expect(propertiesOf(template, groupId)).toEqual({ Name: 'exec-eng-lead-prod-escalations' });
  });

  it('gets its thresholds, channel, mention, group, role and dead-letter queue from cdk.json and the stack', () => {
    const env = environmentOf(template, functionId);
    expect(env).toMatchObject({
      [ESCALATION_ENV.p1UnacknowledgedAfter]: '5m',
      [ESCALATION_ENV.p2UnacknowledgedAfter]: '20m',
      [ESCALATION_ENV.p1OpenAfter]: '3h',
      [ESCALATION_ENV.stormThreshold]: '4',
      [ESCALATION_ENV.channel]: '#vp-pages',
      [ESCALATION_ENV.userId]: 'U0VPENG',
      [ESCALATION_LAMBDA_ENV.scheduleGroup]: 'exec-eng-lead-prod-escalations',
      [ESCALATION_LAMBDA_ENV.schedulerRoleArn]: { 'Fn::GetAtt': [roleId, 'Arn'] },
      [ESCALATION_LAMBDA_ENV.timerDeadLetterArn]: { 'Fn::GetAtt': [queueId, 'Arn'] },
    });
  });

  it('is fed by the routing table: every escalation route targets it', () => {
    const escalationRoutes = routes.filter((route) => route.worker === 'escalation');
    expect(escalationRoutes.length).toBeGreaterThan(0);
    for (const route of escalationRoutes) {
      const rule = propertiesOf(template, logicalIdOf(service.node.findChild(route.id)));
      expect((rule.Targets as { Arn: unknown }[]).map((target) => target.Arn)).toEqual([functionArn]);
    }
  });

  it('the scheduler role is assumable only by Scheduler for this account and may invoke only this function', () => {
    const role = propertiesOf(template, roleId);
    expect(role.AssumeRolePolicyDocument).toMatchObject({
      Statement: [
        {
          Action: 'sts:AssumeRole',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        },
      ],
    });
    const statements = policyStatementsOfRole(template, roleId);
    const invoke = statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('lambda:')));
    expect(invoke).toHaveLength(1);
    expect(actionsOf(invoke[0] ?? {})).toEqual(['lambda:InvokeFunction']);
    expect(resourcesOf(invoke[0] ?? {})).toEqual([functionArn]);
    // Besides invoking, it may only drop undeliverable timers into the dead-letter queue.
    const others = statements.filter((statement) => statement !== invoke[0]);
    for (const statement of others) expect(resourcesOf(statement)).toEqual([{ 'Fn::GetAtt': [queueId, 'Arn'] }]);
  });

  it('the worker may create, move and delete schedules only in its group, and pass only the scheduler role, only to Scheduler', () => {
    const statements = roleStatements(template, functionId);
    const scheduler = statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('scheduler:')));
    expect(scheduler.flatMap(actionsOf).sort()).toEqual(['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:UpdateSchedule']);
    for (const statement of scheduler) {
      expect(JSON.stringify(resourcesOf(statement))).toContain(':schedule/exec-eng-lead-prod-escalations/*');
    }
    const passRole = statements.filter((statement) => actionsOf(statement).includes('iam:PassRole'));
    expect(passRole).toEqual([
      expect.objectContaining({
        Resource: { 'Fn::GetAtt': [roleId, 'Arn'] },
        Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    ]);
    expect(statements.some((statement) => actionsOf(statement).some((action) => action === '*' || action === 'iam:*' || action === 'scheduler:*'))).toBe(false);
  });

  it('touches the table only in the partitions it needs', () => {
    const table = roleStatements(template, functionId).filter((statement) => actionsOf(statement).some((action) => action.startsWith('dynamodb:')));
    expect(table).toHaveLength(1);
    expect(table[0]?.Condition).toEqual({
      'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': expect.arrayContaining(['INCIDENT#*', 'ESCALATION#*', 'ESCALATIONS#STORM']) },
    });
    expect(actionsOf(table[0] ?? {})).not.toContain('dynamodb:Scan');
  });

  it('an async failure of the worker (bus or Scheduler invocation) lands in an on-failure queue', () => {
    const configs = template.findResources('AWS::Lambda::EventInvokeConfig', { Properties: { FunctionName: { Ref: functionId } } });
    expect(Object.keys(configs)).toHaveLength(1);
  });
});

describe('escalation settings in cdk.json', () => {
  it('default to 10m, 30m, 4h, a storm threshold of 3 and #exec-escalations', () => {
    expect(parseConfig(cdkJsonConfig).escalations).toEqual({
      p1UnacknowledgedAfter: '10m',
      p2UnacknowledgedAfter: '30m',
      p1OpenAfter: '4h',
      stormThreshold: 3,
      channel: '#exec-escalations',
    });
  });

  it.each([
    ['p1UnacknowledgedAfter', '10 minutes'],
    ['p2UnacknowledgedAfter', '0s'],
    ['p1OpenAfter', 4],
    ['stormThreshold', 0],
    ['userId', '@vp'],
  ])('refuse a bad %s (%j) at synth, naming it', (key, value) => {
    expect(() => parseConfig({ ...cdkJsonConfig, escalations: { [key]: value } })).toThrow(ConfigInvalidError);
    expect(() => parseConfig({ ...cdkJsonConfig, escalations: { [key]: value } })).toThrow(new RegExp(`"escalations\\.${key}"`));
  });
});
