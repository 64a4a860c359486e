import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { secretArnEnvName } from '../functions/core/lambda-env';

/**
 * Hands a secret to a function: its ARN as `<secretName>_ARN` plus read access, in one call
 * so the env var and the grant cannot drift apart. The value itself never enters the env.
 */
export function addSecretArnEnv(fn: LambdaFunction, secretName: string, secret: ISecret): void {
  fn.addEnvironment(secretArnEnvName(secretName), secret.secretArn);
  secret.grantRead(fn);
}
