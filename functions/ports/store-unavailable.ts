/**
 * The store could not be reached or refused to work (connection refused, timed out,
 * throttled, 5xx): the request was not carried out, or its outcome is unknown, and trying
 * again later is the right answer. HTTP handlers map it to 503, so a webhook sender retries.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
  constructor(
    readonly store: string,
    readonly detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${store} is unavailable (${detail}); nothing was changed, please retry`, options);
  }
}
