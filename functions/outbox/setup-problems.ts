/**
 * Slack refusals that no retry fixes until a person acts. The document stays pending (nothing
 * is lost; it goes out by itself once the setup is fixed); what matters is that whoever installed
 * the app learns at once what to fix, not from the 15-minute backlog alarm.
 * `channel` problems belong to one channel; `token` problems stop every channel.
 */
export const SETUP_ERRORS: Readonly<Record<string, 'channel' | 'token'>> = {
  not_in_channel: 'channel',
  channel_not_found: 'channel',
  is_archived: 'channel',
  invalid_auth: 'token',
  token_revoked: 'token',
  account_inactive: 'token',
  missing_scope: 'token',
};

export function isSetupError(code: string): boolean {
  return Object.hasOwn(SETUP_ERRORS, code);
}

export interface SetupProblem {
  /** The channel id as configured (`*` for a token problem, which stops every channel). */
  channel: string;
  code: string;
  /** One sentence naming what to do. */
  fix: string;
  since: string;
}

/** What to do about a setup error; `label` is the channel as people know it, e.g. `C0123 (#incidents-exec)`. */
export function setupFix(code: string, label: string, needed?: string): string {
  switch (code) {
    case 'not_in_channel':
      return `invite the app to ${label} (in the channel: /invite @exec-eng-lead)`;
    case 'channel_not_found':
      return `${label} does not exist or the app cannot see it: set its SLACK_CHANNEL_* variable to the channel's id (C…), and invite the app if the channel is private`;
    case 'is_archived':
      return `${label} is archived: unarchive it, or point its SLACK_CHANNEL_* variable at another channel`;
    case 'invalid_auth':
      return "Slack does not accept the bot token: set SLACK_BOT_TOKEN (in AWS, the SLACK_BOT_TOKEN field of the SERVICE_CREDENTIALS secret) to the app's Bot User OAuth Token (xoxb-…)";
    case 'token_revoked':
      return 'the bot token was revoked (the app was uninstalled or the token rotated): reinstall the app and set the new Bot User OAuth Token';
    case 'account_inactive':
      return "the app's bot user or its workspace is deactivated: reinstall the app and set the new Bot User OAuth Token";
    case 'missing_scope':
      return `the token lacks ${needed ? `the scope ${needed}` : 'a scope the service needs'}: add the scopes in slack/manifest.yml to the app and reinstall it`;
    default:
      return `Slack refused with ${code}`;
  }
}

/**
 * The setup problems this process has seen and not yet seen fixed, one per channel and cause:
 * the first of each is logged as an error, the inbox page shows them all as a banner, and a
 * successful post to a channel (any success, for a token problem) clears them.
 */
export class SetupProblems {
  private readonly problems = new Map<string, SetupProblem>();

  has(channel: string, code: string): boolean {
    return this.problems.has(`${channel}|${code}`);
  }

  /** Records the problem; true when it is new (so it is logged once, not on every retry). */
  report(problem: SetupProblem): boolean {
    const key = `${problem.channel}|${problem.code}`;
    if (this.problems.has(key)) return false;
    this.problems.set(key, problem);
    return true;
  }

  /** Slack accepted a call for `channel`: its problems, and any token problem, are fixed. */
  resolved(channel: string): void {
    for (const [key, problem] of this.problems) if (problem.channel === channel || problem.channel === '*') this.problems.delete(key);
  }

  list(): SetupProblem[] {
    return [...this.problems.values()];
  }
}
