import { readFileSync } from 'node:fs';
import { App, Stack } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { addStacks } from '../../lib/build-app';
import { CONTEXT_KEY, loadConfig } from '../../lib/config';
import { ServiceFunction } from '../../lib/service-function';

/** One Lambda function as the CDK app declares it. */
export interface DeployedFunction {
  /** From its folder and file: `ingest`, `approvals-worker`, `outbox-sweeper`, … (the figure ids). */
  name: string;
  entry: string;
  memoryMb: number;
  /** Its environment, with values CloudFormation fills in at deploy time replaced by fake ones. */
  environment: Record<string, string>;
  /** How many Secrets Manager secrets it is handed (`*_ARN` variables). */
  secretArns: number;
}

export interface DeployedApp {
  functions: DeployedFunction[];
  /** Secrets Manager secrets the stacks create. */
  secrets: number;
}

/**
 * Every function and secret of the app, read from the CDK app itself (cdk.json's settings with
 * the Claude writer on, as the costed organisation runs it; bundling skipped), so a function
 * added anywhere in lib/ is measured without touching the bench.
 */
export function deployedApp(): DeployedApp {
  const context = (JSON.parse(readFileSync('cdk.json', 'utf8')) as { context: Record<string, Record<string, unknown>> }).context;
  const app = new App({ context: { ...context, [CONTEXT_KEY]: { ...context[CONTEXT_KEY], claudeWriter: true }, 'aws:cdk:bundling-stacks': [] } });
  addStacks(app, loadConfig(app));
  const constructs = app.node.findAll();
  const functions = constructs
    .filter((c): c is ServiceFunction => c instanceof ServiceFunction)
    .map((fn) => {
      const cfn = fn.fn.node.defaultChild as CfnFunction;
      const resolved = Stack.of(fn).resolve(cfn.environment) as { variables?: Record<string, unknown> } | undefined;
      const environment = Object.fromEntries(
        Object.entries(resolved?.variables ?? {}).map(([key, value]) => [key, typeof value === 'string' ? value : fakeValue(key)]),
      );
      return {
        name: functionName(fn.entry),
        entry: fn.entry,
        memoryMb: Number(Stack.of(fn).resolve(cfn.memorySize) ?? 128),
        environment,
        secretArns: Object.keys(environment).filter((key) => key.endsWith('_ARN') && environment[key]?.includes(':secretsmanager:')).length,
      };
    });
  return { functions, secrets: constructs.filter((c) => c instanceof Secret).length };
}

/** A deploy-time value (an ARN, a table or bus name) as a fake of the right shape. */
function fakeValue(key: string): string {
  if (/SECRET|TOKEN|KEY|CREDENTIALS/.test(key) && key.endsWith('_ARN'))
    return `arn:aws:secretsmanager:us-east-1:123456789012:secret:bench-${key.toLowerCase()}`;
  if (key.endsWith('_ARN')) return `arn:aws:iam::123456789012:role/bench-${key.toLowerCase()}`;
  return `bench-${key.toLowerCase().replace(/_/g, '-')}`;
}

/** `functions/approvals/worker-handler.ts` → `approvals-worker`; `functions/ingest/handler.ts` → `ingest`. */
export function functionName(entry: string): string {
  const [, folder = '', file = ''] = /^functions\/(.+)\/([^/]+)\.ts$/.exec(entry) ?? [];
  const base = file.replace(/-?handler$/, '');
  return base && base !== folder ? `${folder.replace(/\//g, '-')}-${base}` : folder.replace(/\//g, '-');
}
