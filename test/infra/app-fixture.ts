import { readFileSync } from 'node:fs';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { type AppStacks, buildApp } from '../../lib/build-app';
import { type AppConfig, CONTEXT_KEY } from '../../lib/config';

type Json = Record<string, unknown>;

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Json };

/** The raw `exec-eng-lead` context from cdk.json. */
export const cdkJsonConfig = cdkJson.context[CONTEXT_KEY] as Json;

/** cdk.json's context with config overrides, and bundling skipped so tests need no esbuild run. */
export function testContext(overrides: Partial<AppConfig> = {}): Json {
  return {
    ...cdkJson.context,
    [CONTEXT_KEY]: { ...cdkJsonConfig, ...overrides },
    'aws:cdk:bundling-stacks': [],
  };
}

export interface SynthesizedApp extends AppStacks {
  app: App;
  config: AppConfig;
  statefulTemplate: Template;
  serviceTemplate: Template;
}

/** Builds the app exactly as bin/app.ts does and synthesizes it (which runs cdk-nag). */
export function synthApp(overrides: Partial<AppConfig> = {}): SynthesizedApp {
  const app = new App({ context: testContext(overrides) });
  const built = buildApp(app);
  app.synth();
  return {
    app,
    ...built,
    statefulTemplate: Template.fromStack(built.stateful),
    serviceTemplate: Template.fromStack(built.service),
  };
}

/** Logical id of an L2 construct's CloudFormation resource. */
export function logicalIdOf(construct: IConstruct): string {
  const resource = construct.node.defaultChild as CfnElement | undefined;
  if (resource === undefined) throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(construct).getLogicalId(resource);
}

/** Properties of one resource, failing the test if it is absent. */
export function propertiesOf(template: Template, logicalId: string): Json {
  const resource = (template.toJSON().Resources as Record<string, { Properties?: Json }>)[logicalId];
  if (resource === undefined) throw new Error(`No resource ${logicalId} in the template`);
  return resource.Properties ?? {};
}

/**
 * What a `{ "Fn::ImportValue": name }` in the consumer points at: the producer's exported
 * value, e.g. `{ Ref: 'PagerdutyWebhookSecret…' }`.
 */
export function resolveImport(producer: Template, value: unknown): unknown {
  const name = (value as { 'Fn::ImportValue'?: unknown } | undefined)?.['Fn::ImportValue'];
  if (typeof name !== 'string') throw new Error(`Not an import: ${JSON.stringify(value)}`);
  const outputs = producer.toJSON().Outputs as Record<string, { Value: unknown; Export?: { Name?: unknown } }>;
  const output = Object.values(outputs).find((candidate) => candidate.Export?.Name === name);
  if (output === undefined) throw new Error(`The producer exports nothing named ${name}`);
  return output.Value;
}

/** IAM policy statements attached to a function's execution role. */
export function roleStatements(template: Template, functionLogicalId: string): Json[] {
  const role = propertiesOf(template, functionLogicalId).Role as { 'Fn::GetAtt': [string, string] };
  return policyStatementsOfRole(template, role['Fn::GetAtt'][0]);
}

/** Every statement of the inline policies attached to one role. */
export function policyStatementsOfRole(template: Template, roleId: string): Json[] {
  const policies = template.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
  return Object.values(policies).flatMap((policy) => (policy as { Properties: { PolicyDocument: { Statement: Json[] } } }).Properties.PolicyDocument.Statement);
}

/** A statement's actions as a list, whether CloudFormation holds one string or several. */
export function actionsOf(statement: Json): string[] {
  const action = statement.Action;
  return Array.isArray(action) ? (action as string[]) : [action as string];
}

/** A statement's resources as a list. */
export function resourcesOf(statement: Json): unknown[] {
  const resource = statement.Resource;
  return Array.isArray(resource) ? resource : [resource];
}

/** Environment variables of a function as synthesized. */
export function environmentOf(template: Template, functionLogicalId: string): Record<string, unknown> {
  const env = propertiesOf(template, functionLogicalId).Environment as { Variables?: Record<string, unknown> } | undefined;
  return env?.Variables ?? {};
}
