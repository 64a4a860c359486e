import { LambdaEnv } from './lambda-env';

/** Thrown at cold start when the deployment left out a variable; names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

/** A required variable, or a clear error naming it. */
export function required(env: Env, name: string): string {
  const value = env[name];
  if (!value) throw new ConfigError(`Environment variable ${name} is required`);
  return value;
}

/** A positive integer variable with a default, or a clear error naming it. */
export function positiveInt(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new ConfigError(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** Largest webhook body ingest accepts unless MAX_BODY_BYTES says otherwise. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

export function maxBodyBytes(env: Env): number {
  return positiveInt(env, LambdaEnv.maxBodyBytes, DEFAULT_MAX_BODY_BYTES);
}

/** A comma-separated variable as its non-empty, trimmed items (`"a, b,"` → `["a", "b"]`). */
export function commaList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}
