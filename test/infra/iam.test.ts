import { describe, expect, it } from 'vitest';
import { logicalIdOf, policyStatementsOfRole, propertiesOf, synthApp } from './app-fixture';

type Json = Record<string, unknown>;
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
const text = (value: unknown) => JSON.stringify(value);

/*
 * Least privilege, checked on the synthesised templates for every role of both stacks, so a
 * function added later is held to the same rules: no wildcard action anywhere, and each
 * function reaches only its own log group, its own secrets, the bus, its own failure queues,
 * its own schedule group and role, and the table (by partition key unless it is one of the
 * three functions whose records span the whole key space).
 */
describe('IAM', () => {
  // Every optional grant switched on, so each appears in the templates under test.
  const built = synthApp({ claudeWriter: true });
  const { serviceTemplate: template, statefulTemplate, stateful, service } = built;
  const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Json }>;
  const tableExport = text(stateful.resolve(stateful.exportValue(stateful.table.tableArn)));
  const busExport = text(stateful.resolve(stateful.exportValue(stateful.bus.eventBusArn)));
  const idsOf = (type: string) =>
    Object.entries(resources)
      .filter(([, r]) => r.Type === type)
      .map(([id]) => id);

  /** Ingest (every delivery record), the incident worker (timelines, spend, outbox) and history (every history): table-wide by design. */
  const tableWide = new Set([service.ingest, service.incidentWorker, service.historyWorker].map((fn) => logicalIdOf(fn.fn)));

  it('grants no "*" or "service:*" action in any policy of either stack', () => {
    const policies = [
      ...Object.values(statefulTemplate.toJSON().Resources as Record<string, { Type: string; Properties: Json }>),
      ...Object.values(resources),
    ].filter((r) => r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::Role');
    expect(policies.length).toBeGreaterThan(10);
    for (const policy of policies) {
      const documents =
        policy.Type === 'AWS::IAM::Policy' ? [policy.Properties.PolicyDocument] : list(policy.Properties.Policies ?? []).map((p) => (p as Json).PolicyDocument);
      for (const document of documents) {
        for (const statement of list((document as { Statement?: unknown } | undefined)?.Statement ?? [])) {
          for (const action of list((statement as Json).Action)) {
            expect(String(action), text(statement)).not.toMatch(/(^|:)\*$/);
          }
        }
      }
    }
  });

  describe.each(idsOf('AWS::Lambda::Function').map((id) => [id] as const))('%s', (functionId) => {
    const props = propertiesOf(template, functionId);
    const roleId = (props.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    const statements = policyStatementsOfRole(template, roleId).filter((s) => s.Effect === 'Allow');
    const env = ((props.Environment as { Variables?: Json } | undefined)?.Variables ?? {}) as Json;
    const logGroupId = (props.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
    const ownSecretArns = Object.entries(env)
      .filter(([name]) => name.endsWith('_ARN') && !name.startsWith('ESCALATION_'))
      .map(([, value]) => text(value));
    const ownQueues = Object.values(resources)
      .filter((r) => r.Type === 'AWS::Lambda::EventInvokeConfig' && text(r.Properties.FunctionName) === text({ Ref: functionId }))
      .map((r) => text((r.Properties.DestinationConfig as { OnFailure: { Destination: unknown } }).OnFailure.Destination));
    const ownRoleArnsPassed = Object.values(env).map(text);

    it('reaches only its own log group, secrets, the bus, its failure queues, its schedules and the table', () => {
      expect(statements.length).toBeGreaterThan(0);
      for (const statement of statements) {
        const targets = list(statement.Resource).map(text);
        for (const action of list(statement.Action).map(String)) {
          const [service] = action.split(':');
          const where = `${action} on ${targets.join(', ')}`;
          switch (service) {
            case 'logs':
              for (const target of targets) expect(target, where).toContain(logGroupId);
              break;
            case 'secretsmanager':
              for (const target of targets) expect(ownSecretArns, where).toContain(target);
              break;
            case 'events':
              expect(action).toBe('events:PutEvents');
              for (const target of targets) expect(target, where).toBe(busExport);
              break;
            case 'dynamodb':
              for (const target of targets) expect(target, where).toContain(tableExport.slice(1, -1));
              if (!tableWide.has(functionId) && targets.some((target) => !target.includes('/index/'))) {
                expect(text(statement.Condition), `${where}: not limited by partition key`).toContain('dynamodb:LeadingKeys');
              }
              break;
            case 'sqs':
              for (const target of targets)
                expect(
                  ownQueues.some((queue) => queue.includes(JSON.parse(target)['Fn::GetAtt']?.[0] ?? '?')),
                  where,
                ).toBe(true);
              break;
            case 'scheduler': {
              const groups = idsOf('AWS::Scheduler::ScheduleGroup').map((id) => String(resources[id]?.Properties.Name));
              expect(groups.length).toBeGreaterThan(0);
              for (const target of targets)
                expect(
                  groups.some((group) => target.includes(`:schedule/${group}/`)),
                  where,
                ).toBe(true);
              break;
            }
            case 'iam':
              expect(action, where).toBe('iam:PassRole');
              expect(text(statement.Condition)).toContain('scheduler.amazonaws.com');
              for (const target of targets) expect(ownRoleArnsPassed, where).toContain(target);
              break;
            default:
              throw new Error(`${functionId} may ${where}: a service this test does not know; add a rule for it`);
          }
        }
      }
    });
  });

  it('lets each Scheduler role invoke exactly one function', () => {
    const schedulerRoles = Object.entries(resources).filter(
      ([, r]) => r.Type === 'AWS::IAM::Role' && text(r.Properties.AssumeRolePolicyDocument).includes('scheduler.amazonaws.com'),
    );
    expect(schedulerRoles.length).toBeGreaterThanOrEqual(3);
    for (const [roleId] of schedulerRoles) {
      const invokes = policyStatementsOfRole(template, roleId).filter((s) => list(s.Action).includes('lambda:InvokeFunction'));
      const functions = new Set(invokes.flatMap((s) => list(s.Resource)).map((r) => text(r).match(/"([A-Za-z0-9]+Function[A-Za-z0-9]*)"/)?.[1]));
      expect(functions.size, roleId).toBe(1);
    }
  });

  it('lets only Scheduler acting for this account assume a Scheduler role (no confused deputy)', () => {
    const schedulerRoles = Object.entries(resources).filter(
      ([, r]) => r.Type === 'AWS::IAM::Role' && text(r.Properties.AssumeRolePolicyDocument).includes('scheduler.amazonaws.com'),
    );
    expect(schedulerRoles.length).toBeGreaterThanOrEqual(4);
    for (const [roleId, role] of schedulerRoles) {
      expect((role.Properties.AssumeRolePolicyDocument as { Statement: unknown[] }).Statement, roleId).toEqual([
        expect.objectContaining({ Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } }),
      ]);
    }
  });
});
