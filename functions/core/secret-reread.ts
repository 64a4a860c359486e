import type { Clock } from '../ports/clock';
import type { Secrets } from '../ports/secrets';
import { storedSecretOf } from './lambda-env';

/**
 * At most one re-read a minute per stored secret in a container: a stream of forged signatures
 * cannot turn into one Secrets Manager call per request, and a rotated secret is still picked up
 * at the first request that needs it.
 */
export const REREAD_INTERVAL_MS = 60_000;

/** How an attempt ended: its result, or what it threw. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** When each stored secret was last re-read, per Secrets instance (one per container in Lambda). */
const lastReread = new WeakMap<Secrets, Map<string, number>>();

/**
 * Runs `attempt` with the secret's (cached) value. When `refused` says the outcome means the value
 * itself was turned down (no cached signing secret verifies the request, Slack answers
 * `invalid_auth`, Anthropic 401), the secret is read again past the cache, unless it was re-read
 * less than a minute ago in this container, and if the value changed, `attempt` runs once more
 * with the new one. The last attempt's result is returned, or its error thrown. The one place
 * both the verifiers and the outbound clients get their "rotated under me" recovery from.
 */
export async function withRereadOnRefusal<T>(
  source: { secrets: Secrets; clock: Clock; name: string },
  attempt: (value: string | undefined) => Promise<T>,
  refused: (outcome: Outcome<T>) => boolean,
): Promise<T> {
  const { secrets, clock, name } = source;
  const cached = await secrets.get(name);
  const first = await settle(() => attempt(cached));
  if (!refused(first) || !rereadAllowed(secrets, storedSecretOf(name), clock.now().getTime())) return unwrap(first);
  const fresh = await secrets.reread(name);
  // The same value would be refused the same way: no second call.
  return fresh === cached ? unwrap(first) : attempt(fresh);
}

/** Records the re-read when one is allowed: the first, or the first a minute after the last. */
function rereadAllowed(secrets: Secrets, stored: string, nowMs: number): boolean {
  const times = lastReread.get(secrets) ?? new Map<string, number>();
  lastReread.set(secrets, times);
  const last = times.get(stored);
  if (last !== undefined && nowMs - last < REREAD_INTERVAL_MS) return false;
  times.set(stored, nowMs);
  return true;
}

async function settle<T>(run: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    return { ok: false, error };
  }
}

function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw outcome.error;
}
