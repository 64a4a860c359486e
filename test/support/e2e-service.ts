import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { inject } from 'vitest';
import { type FakeSlack, startFakeSlack } from './fake-slack';
import { type LocalProcess, startLocalProcess } from './local-process';

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

/**
 * `npm start` on the shared DynamoDB Local (a table of its own) posting to a fresh fake Slack,
 * with the secrets above: how the end-to-end tests start the service a new user would run.
 */
export async function startServiceWithFakeSlack(name: string, env: Record<string, string> = {}): Promise<{ slack: FakeSlack; service: LocalProcess }> {
  const slack = await startFakeSlack();
  const service = await startLocalProcess(
    {
      DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
      TABLE_NAME: `e2e-${name}-${randomUUID()}`,
      SLACK_BOT_TOKEN: 'fake-slack-bot-token-for-tests',
      SLACK_API_URL: slack.apiUrl,
      OUTBOX_PACE_MS: '1',
      ...E2E_SECRETS,
      ...env,
    },
    120_000,
  );
  return { slack, service };
}

/** `npm run demo` against the service, as a new user runs it, with the same secrets. */
export function runDemo(url: string): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)('npx', ['tsx', 'scripts/demo.ts'], { env: { ...process.env, DEMO_URL: url, ...E2E_SECRETS }, timeout: 240_000 });
}
