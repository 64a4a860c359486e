import { ServiceSecretNames } from '../core/lambda-env';
import { withRereadOnRefusal } from '../core/secret-reread';
import { type Clock, systemClock } from '../ports/clock';
import type { Secrets } from '../ports/secrets';

/** The SDK's `fetch` option (ClientOptions['fetch']), spelled out so this module does not load the SDK. */
export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * A `fetch` for the Anthropic SDK that sends the API key the secrets hold now (cached), not the
 * one the client was built with, and answers a 401 by re-reading the key once and sending the
 * request again with the new one (functions/core/secret-reread.ts): a key rotated under a warm
 * container is followed at its first refused call, and the writer does not fall back to the
 * template for it. The SDK sends the key as `Authorization: Bearer`.
 */
export function anthropicKeyFetch(secrets: Secrets, clock: Clock = systemClock, base: Fetch = (input, init) => fetch(input, init)): Fetch {
  return (input, init) =>
    withRereadOnRefusal(
      { secrets, clock, name: ServiceSecretNames.anthropicApiKey },
      (key) => base(input, withKey(init, key)),
      (outcome) => outcome.ok && outcome.value.status === 401,
    );
}

function withKey(init: RequestInit | undefined, key: string | undefined): RequestInit | undefined {
  if (!key) return init;
  const headers = new Headers(init?.headers);
  headers.set('authorization', `Bearer ${key}`);
  return { ...init, headers };
}
