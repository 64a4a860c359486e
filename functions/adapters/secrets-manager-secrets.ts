import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { SIGNING_SECRETS_NAME, secretArnEnvName } from '../core/lambda-env';
import type { Secrets } from '../ports/secrets';

/** Five minutes: a rotated secret is picked up quickly without a Secrets Manager call per request. */
const CACHE_SECONDS = 300;

/**
 * Secrets Manager, located by the `<NAME>_ARN` variables CDK sets and cached per container
 * by Powertools. A signing secret has no variable of its own: it is the field of that name in
 * the JSON signing-secrets secret (`SIGNING_SECRETS_ARN`), a string or a list of strings (several
 * during a rotation; returned one per line, as `signingSecrets` reads them). A secret without
 * either is simply not configured.
 */
export class SecretsManagerSecrets implements Secrets {
  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  async get(name: string): Promise<string | undefined> {
    const arn = this.env[secretArnEnvName(name)];
    if (arn) {
      const value = await getSecret<string>(arn, { maxAge: CACHE_SECONDS });
      return typeof value === 'string' && value.length > 0 ? value : undefined;
    }
    const signingArn = this.env[secretArnEnvName(SIGNING_SECRETS_NAME)];
    if (!signingArn) return undefined;
    return signingSecretField(await getSecret<unknown>(signingArn, { maxAge: CACHE_SECONDS, transform: 'json' }), name);
  }
}

/** One source's entry of the signing-secrets JSON: a string, or a list joined one per line; anything else is not configured. */
export function signingSecretField(json: unknown, name: string): string | undefined {
  if (json === null || typeof json !== 'object') return undefined;
  const value = (json as Record<string, unknown>)[name];
  const lines = typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  const joined = lines.filter((line) => line.length > 0).join('\n');
  return joined.length > 0 ? joined : undefined;
}
