import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where the local runtime leaves generated development secrets for `npm run demo`. Git-ignored. */
export const DEV_SECRETS_FILE = join(process.cwd(), '.local', 'dev-secrets.json');

/**
 * Fills in any unset secret with a clearly-labelled random development value, so the
 * service runs with no configuration. Only ever used by the local runtime.
 */
export function withDevSecrets(
  env: Record<string, string | undefined>,
  names: readonly string[],
): { env: Record<string, string | undefined>; generated: Record<string, string> } {
  const generated: Record<string, string> = {};
  for (const name of names) {
    if (!env[name]) generated[name] = `dev-only-${randomBytes(16).toString('hex')}`;
  }
  return { env: { ...env, ...generated }, generated };
}

export function saveDevSecrets(secrets: Record<string, string>, file = DEV_SECRETS_FILE): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
}

export function loadDevSecrets(file = DEV_SECRETS_FILE): Record<string, string> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}
