import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type AppConfig, loadConfig } from './config';
import { acknowledgeNagFindings } from './nag';
import { ServiceStack } from './service-stack';
import { StatefulStack } from './stateful-stack';

export interface AppStacks {
  stateful: StatefulStack;
  service: ServiceStack;
}

/** Adds the stateful and service stacks, wired together, without any checks. */
export function addStacks(app: App, config: AppConfig): AppStacks {
  const prefix = `exec-eng-lead-${config.stage}`;
  const stateful = new StatefulStack(app, `${prefix}-stateful`, {
    config,
    description: 'exec-eng-lead: table, event bus and secrets',
  });
  const service = new ServiceStack(app, `${prefix}-service`, {
    config,
    description: 'exec-eng-lead: webhook API, ingest and worker functions',
    table: stateful.table,
    bus: stateful.bus,
    secrets: stateful.secrets,
  });
  return { stateful, service };
}

/**
 * The whole app as deployed: config from context, both stacks, the cdk-nag AwsSolutions
 * checks (any finding fails synth) and the reviewed exceptions. Used by bin/app.ts and the tests.
 */
export function buildApp(app: App): AppStacks & { config: AppConfig } {
  const config = loadConfig(app);
  const stacks = addStacks(app, config);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  acknowledgeNagFindings(stacks);
  return { config, ...stacks };
}
