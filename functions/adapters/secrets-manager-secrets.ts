import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { secretArnEnvName, storedSecretOf } from '../core/lambda-env';
import type { Secrets } from '../ports/secrets';

/**
 * One hour. Each container reads a secret at its first use and keeps it: with containers living
 * minutes to hours, that is about one read per cold start. A rotation does not wait for the
 * cache: a refused value is re-read at once (functions/core/secret-reread.ts). The hour bounds
 * how long a value removed from the secret (a retired signing secret) still verifies in a warm
 * container; to cut that short, recycle the containers (docs/operations.md).
 */
export const SECRET_CACHE_SECONDS = 3_600;

/**
 * Secrets Manager, cached per container by Powertools. Every named secret is a field of one of
 * two JSON secrets, located by the `<NAME>_ARN` variables CDK sets: the signing secrets
 * (`SIGNING_SECRETS_ARN`, each field a string or a list, several during a rotation, returned one
 * per line as `signingSecrets` reads them) and the outbound credentials (`SERVICE_CREDENTIALS_ARN`,
 * each field a string). A name whose secret the function was not given, or whose field is
 * missing or empty, is simply not configured.
 */
export class SecretsManagerSecrets implements Secrets {
  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  get(name: string): Promise<string | undefined> {
    return this.read(name, false);
  }

  reread(name: string): Promise<string | undefined> {
    return this.read(name, true);
  }

  private async read(name: string, forceFetch: boolean): Promise<string | undefined> {
    const arn = this.env[secretArnEnvName(storedSecretOf(name))];
    if (!arn) return undefined;
    return secretField(await getSecret<unknown>(arn, { maxAge: SECRET_CACHE_SECONDS, transform: 'json', forceFetch }), name);
  }
}

/** One field of a JSON secret: a string, or a list of strings joined one per line; anything else is not configured. */
export function secretField(json: unknown, name: string): string | undefined {
  if (json === null || typeof json !== 'object') return undefined;
  const value = (json as Record<string, unknown>)[name];
  const lines = typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  const joined = lines.filter((line) => line.length > 0).join('\n');
  return joined.length > 0 ? joined : undefined;
}
