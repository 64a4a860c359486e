/** Every webhook and Slack secret the local service and `npm run demo` share in an end-to-end run (fakes, for tests only). */
export const E2E_SECRETS = {
  PAGERDUTY_WEBHOOK_SECRET: 'fake-pagerduty-secret-for-e2e',
  JIRA_WEBHOOK_SECRET: 'fake-jira-secret-for-e2e',
  GREENHOUSE_WEBHOOK_SECRET: 'fake-greenhouse-secret-for-e2e',
  LEVER_SIGNATURE_TOKEN: 'fake-lever-token-for-e2e',
  ASHBY_WEBHOOK_SECRET: 'fake-ashby-secret-for-e2e',
  GITHUB_WEBHOOK_SECRET: 'fake-github-secret-for-e2e',
  SLACK_SIGNING_SECRET: 'fake-slack-signing-secret-for-e2e',
};
