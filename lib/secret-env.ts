import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { ServiceSecretNames, SIGNING_SECRETS_NAME, secretArnEnvName } from '../functions/core/lambda-env';
import { sources } from '../functions/sources/registry';

/** The names kept as fields of the one signing-secrets secret: each source's webhook secret and Slack's signing secret. */
export function signingSecretNames(): string[] {
  return [...sources.map((source) => source.secretName), ServiceSecretNames.slackSigningSecret];
}

/**
 * Hands a secret to a function: its ARN as `<secretName>_ARN` plus read access, in one call
 * so the env var and the grant cannot drift apart. The value itself never enters the env. A
 * signing secret is a field of the signing-secrets secret: the function gets
 * `SIGNING_SECRETS_ARN` (once, however many of them it verifies with) and reads that field.
 */
export function addSecretArnEnv(fn: LambdaFunction, secretName: string, secret: ISecret): void {
  const signing = signingSecretNames().includes(secretName);
  const variable = secretArnEnvName(signing ? SIGNING_SECRETS_NAME : secretName);
  if (signing && granted.get(fn)?.has(variable)) return;
  fn.addEnvironment(variable, secret.secretArn);
  secret.grantRead(fn);
  granted.set(fn, (granted.get(fn) ?? new Set()).add(variable));
}

const granted = new WeakMap<LambdaFunction, Set<string>>();
