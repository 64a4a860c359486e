import { ServiceSecretNames } from '../core/lambda-env';
import { withRereadOnRefusal } from '../core/secret-reread';
import { type Clock, systemClock } from '../ports/clock';
import type { IssueTracker } from '../ports/issue-tracker';
import type { Secrets } from '../ports/secrets';
import { JiraRest, type JiraRestOptions, JiraWriteBackError } from './jira-rest';

/**
 * Jira write-back with the API token from the secrets: read (cached) at each call, and when Jira
 * answers 401 (the token was rotated under a running container) read again once and the write
 * made again with the new token (functions/core/secret-reread.ts). A refused write was not made,
 * so nothing is written twice.
 */
export function jiraFromSecrets(secrets: Secrets, options: Omit<JiraRestOptions, 'apiToken'>, clock: Clock = systemClock): IssueTracker {
  // One client, for the token last read; a new token builds a new client.
  let client: { token: string; jira: JiraRest } | undefined;
  const jiraFor = (token = ''): JiraRest => {
    // An empty token is refused by JiraRest's constructor, naming it.
    if (!client || client.token !== token) client = { token, jira: new JiraRest({ ...options, apiToken: token }) };
    return client.jira;
  };
  const call = (use: (jira: JiraRest) => Promise<void>): Promise<void> =>
    withRereadOnRefusal(
      { secrets, clock, name: ServiceSecretNames.jiraApiToken },
      async (token) => use(jiraFor(token)),
      (outcome) => !outcome.ok && outcome.error instanceof JiraWriteBackError && outcome.error.status === 401,
    );
  return {
    comment: (issueKey, text) => call((jira) => jira.comment(issueKey, text)),
    transition: (issueKey, transitionId) => call((jira) => jira.transition(issueKey, transitionId)),
  };
}
