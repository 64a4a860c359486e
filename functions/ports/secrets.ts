/** Reads a named secret (e.g. `PAGERDUTY_WEBHOOK_SECRET`). Values are never logged. */
export interface Secrets {
  /** The secret's value, or undefined when it is not configured. May come from a per-container cache. */
  get(name: string): Promise<string | undefined>;
  /**
   * The value read again past any cache, for when the cached one was refused (a secret rotated
   * under a running container). Callers go through `withRereadOnRefusal` (functions/core/secret-reread.ts),
   * which rate-limits it.
   */
  reread(name: string): Promise<string | undefined>;
}
