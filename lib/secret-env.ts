import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { ServiceSecretNames, secretArnEnvName, storedSecretOf } from '../functions/core/lambda-env';
import { sources } from '../functions/sources/registry';
import type { AppConfig } from './config';

/** The names kept as fields of the one signing-secrets secret: each source's webhook secret and Slack's signing secret. */
export function signingSecretNames(): string[] {
  return [...sources.map((source) => source.secretName), ServiceSecretNames.slackSigningSecret];
}

/** The names kept as fields of the service-credentials secret with this configuration: the Slack token always, the others when used. */
export function credentialNames(config: Pick<AppConfig, 'claudeWriter' | 'approvals'>): string[] {
  return [
    ServiceSecretNames.slackBotToken,
    ...(config.claudeWriter ? [ServiceSecretNames.anthropicApiKey] : []),
    ...(config.approvals.writeBack.enabled ? [ServiceSecretNames.jiraApiToken] : []),
  ];
}

/**
 * Hands a secret to a function: the ARN of the JSON secret it is a field of, as
 * `SIGNING_SECRETS_ARN` or `SERVICE_CREDENTIALS_ARN`, plus read access to that secret, in one
 * call so the env var and the grant cannot drift apart. Asking for several names of the same
 * secret grants it once. The value itself never enters the env.
 */
export function addSecretArnEnv(fn: LambdaFunction, secretName: string, secret: ISecret): void {
  const variable = secretArnEnvName(storedSecretOf(secretName));
  if (granted.get(fn)?.has(variable)) return;
  fn.addEnvironment(variable, secret.secretArn);
  secret.grantRead(fn);
  granted.set(fn, (granted.get(fn) ?? new Set()).add(variable));
}

const granted = new WeakMap<LambdaFunction, Set<string>>();
