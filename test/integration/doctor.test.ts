import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { type Check, neededScopes, runDoctor } from '../../scripts/doctor';
import { type FakeSlack, startFakeSlack } from '../support/fake-slack';

const CHANNELS = { SLACK_CHANNEL_INCIDENTS: 'C0123', SLACK_CHANNEL_ESCALATIONS: 'C0ESC', SLACK_CHANNEL_APPROVALS: 'C0APPR', SLACK_CHANNEL_DIGEST: 'C0DIG' };

/** A fake Slack whose token carries `scopes` and where the app is in every configured channel but those in `outside`. */
async function slackWith(scopes: readonly string[], outside: string[] = []): Promise<FakeSlack> {
  const slack = await startFakeSlack({ scopes });
  const names: Record<string, string> = { C0123: 'incidents-exec', C0ESC: 'exec-escalations', C0APPR: 'exec-approvals', C0DIG: 'exec-digest' };
  for (const [id, name] of Object.entries(names)) slack.channel(id, { name, isMember: !outside.includes(id) });
  return slack;
}

const failed = (checks: Check[]) => checks.filter((c) => !c.ok).map((c) => `${c.name}: ${c.detail}`);

describe('npm run doctor (the real @slack/web-api against a fake Slack, DynamoDB Local)', () => {
  let slack: FakeSlack | undefined;
  afterEach(async () => {
    await slack?.close();
  });

  it('needs the scopes of the events the app subscribes to, not only of the methods it calls', () => {
    expect(neededScopes()).toEqual(expect.arrayContaining(['app_mentions:read', 'im:history', 'assistant:write', 'chat:write']));
  });

  it('passes a good configuration, one line per check', async () => {
    slack = await slackWith(neededScopes());
    const checks = await runDoctor({ SLACK_BOT_TOKEN: 'xoxb-fake', SLACK_API_URL: slack.apiUrl, DYNAMODB_ENDPOINT: inject('dynamoEndpoint'), ...CHANNELS });
    expect(failed(checks)).toEqual([]);
    expect(checks.map((c) => c.name)).toEqual([
      'environment',
      'slack token',
      'slack scopes',
      'channel SLACK_CHANNEL_INCIDENTS',
      'channel SLACK_CHANNEL_ESCALATIONS',
      'channel SLACK_CHANNEL_APPROVALS',
      'channel SLACK_CHANNEL_DIGEST',
      'dynamodb',
    ]);
    expect(checks.find((c) => c.name === 'channel SLACK_CHANNEL_INCIDENTS')?.detail).toBe('C0123 (#incidents-exec): the app is a member');
  });

  it('names what to fix: a bad variable, a missing scope, an app not in the channel, a channel given by name, DynamoDB down', async () => {
    slack = await slackWith(
      neededScopes().filter((s) => s !== 'channels:history' && s !== 'im:history'),
      ['C0123'],
    );
    const checks = await runDoctor({
      SLACK_BOT_TOKEN: 'xoxb-fake',
      SLACK_API_URL: slack.apiUrl,
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
      ...CHANNELS,
      SLACK_CHANNEL_DIGEST: '#exec-digest',
      ESCALATE_P1_UNACKNOWLEDGED_AFTER: 'soon',
    });
    const problems = failed(checks);
    expect(problems).toEqual([
      expect.stringMatching(/^environment: ESCALATE_P1_UNACKNOWLEDGED_AFTER must be a duration/),
      expect.stringMatching(/^slack scopes: the token lacks channels:history, im:history/),
      expect.stringMatching(/^dynamodb: .*ECONNREFUSED.*fix DYNAMODB_ENDPOINT/),
    ]);
    // The environment did not parse, so channel checks had nothing to check; fix the variable and run again.
    const again = failed(
      await runDoctor({
        SLACK_BOT_TOKEN: 'xoxb-fake',
        SLACK_API_URL: slack.apiUrl,
        DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
        ...CHANNELS,
        SLACK_CHANNEL_DIGEST: '#exec-digest',
      }),
    );
    expect(again).toEqual([
      expect.stringMatching(/^slack scopes: the token lacks channels:history, im:history: add them/),
      'channel SLACK_CHANNEL_INCIDENTS: invite the app to C0123 (#incidents-exec) (in the channel: /invite @exec-eng-lead)',
      expect.stringMatching(/^channel SLACK_CHANNEL_DIGEST: "#exec-digest" is not a channel id: set SLACK_CHANNEL_DIGEST to the channel's id/),
    ]);
  });

  it('stops at a revoked token, saying to reinstall the app', async () => {
    slack = await slackWith(neededScopes());
    slack.refuseAll('token_revoked');
    const problems = failed(
      await runDoctor({ SLACK_BOT_TOKEN: 'xoxb-fake', SLACK_API_URL: slack.apiUrl, DYNAMODB_ENDPOINT: inject('dynamoEndpoint'), ...CHANNELS }),
    );
    expect(problems).toEqual([expect.stringMatching(/^slack token: the bot token was revoked .*reinstall the app/)]);
  });

  it('the script prints one line per check and exits non-zero naming what to fix', async () => {
    slack = await slackWith(neededScopes(), ['C0123']);
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/doctor.ts'], {
      env: { ...process.env, SLACK_BOT_TOKEN: 'xoxb-fake', SLACK_API_URL: slack.apiUrl, DYNAMODB_ENDPOINT: inject('dynamoEndpoint'), ...CHANNELS },
    });
    const error = await run.then(
      () => undefined,
      (e: unknown) => e as { code: number; stdout: string },
    );
    expect(error?.code).toBe(1);
    expect(error?.stdout).toContain('FAIL  channel SLACK_CHANNEL_INCIDENTS: invite the app to C0123 (#incidents-exec)');
    expect(error?.stdout).toContain('ok    slack token');
    expect(error?.stdout).toMatch(/1 to fix: channel SLACK_CHANNEL_INCIDENTS/);
  }, 120_000);
});
