import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { secretArnEnvName } from '../core/lambda-env';
import type { Secrets } from '../ports/secrets';

/** Five minutes: a rotated secret is picked up quickly without a Secrets Manager call per request. */
const CACHE_SECONDS = 300;

/**
 * Secrets Manager, located by the `<NAME>_ARN` variables CDK sets and cached per container
 * by Powertools. A secret without an ARN variable is simply not configured.
 */
export class SecretsManagerSecrets implements Secrets {
  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  async get(name: string): Promise<string | undefined> {
    const arn = this.env[secretArnEnvName(name)];
    if (!arn) return undefined;
    const value = await getSecret<string>(arn, { maxAge: CACHE_SECONDS });
    return typeof value === 'string' && value.length > 0 ? value : undefined;
  }
}
