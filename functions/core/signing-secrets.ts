/**
 * The secrets held in one stored value: one per line, so a webhook or Slack signing secret can
 * be rotated with a window in which both the old and the new one verify (docs/operations.md).
 * A trailing `\r` and empty lines are dropped; other whitespace is part of the secret.
 */
export function signingSecrets(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line.length > 0);
}
