/** Reads a named secret (e.g. `PAGERDUTY_WEBHOOK_SECRET`). Values are never logged. */
export interface Secrets {
  /** The secret's value, or undefined when it is not configured. */
  get(name: string): Promise<string | undefined>;
}
