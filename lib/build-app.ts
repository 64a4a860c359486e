import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type AppConfig, loadConfig } from './config';
import { acknowledgeNagFindings } from './nag';
import { ServiceStack } from './service-stack';
import { StatefulStack } from './stateful-stack';

export interface BuiltApp {
  config: AppConfig;
  stateful: StatefulStack;
  service: ServiceStack;
}

/**
 * Adds both stacks to `app`, registers the cdk-nag AwsSolutions checks (findings fail synth)
 * and records the reviewed exceptions. Shared by bin/app.ts and the infra tests.
 */
export function buildApp(app: App): BuiltApp {
  const config = loadConfig(app);
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

  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  acknowledgeNagFindings({ stateful, service });
  return { config, stateful, service };
}
