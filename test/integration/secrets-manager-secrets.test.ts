import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretsManagerSecrets } from '../../functions/adapters/secrets-manager-secrets';
import { type FakeAws, startFakeAws } from '../support/fake-aws';

/*
 * The Lambda secrets adapter as deployed: Powertools and the real Secrets Manager client against a
 * fake GetSecretValue on 127.0.0.1, counting the calls Secrets Manager would bill.
 */

const SIGNING_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:exec-eng-lead/test/SIGNING_SECRETS';
const CREDENTIALS_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:exec-eng-lead/test/SERVICE_CREDENTIALS';

describe('SecretsManagerSecrets: two JSON secrets, cached, re-read past the cache on demand', () => {
  let aws: FakeAws;
  const stored: Record<string, string> = {
    [SIGNING_ARN]: JSON.stringify({ PAGERDUTY_WEBHOOK_SECRET: ['fake-pd-old'], GITHUB_WEBHOOK_SECRET: 'fake-gh' }),
    [CREDENTIALS_ARN]: JSON.stringify({ SLACK_BOT_TOKEN: 'fake-xoxb-old', ANTHROPIC_API_KEY: 'fake-key' }),
  };
  beforeAll(async () => {
    aws = await startFakeAws(stored);
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'fake',
      AWS_SECRET_ACCESS_KEY: 'fake',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: aws.url,
    });
  });
  afterAll(() => aws.close());

  it('reads each JSON secret once for all its fields, follows a re-read, and finds nothing without the ARN', async () => {
    const secrets = new SecretsManagerSecrets({ SIGNING_SECRETS_ARN: SIGNING_ARN, SERVICE_CREDENTIALS_ARN: CREDENTIALS_ARN });
    expect(await secrets.get('PAGERDUTY_WEBHOOK_SECRET')).toBe('fake-pd-old');
    expect(await secrets.get('GITHUB_WEBHOOK_SECRET')).toBe('fake-gh');
    expect(await secrets.get('SLACK_BOT_TOKEN')).toBe('fake-xoxb-old');
    expect(await secrets.get('ANTHROPIC_API_KEY')).toBe('fake-key');
    expect(await secrets.get('JIRA_API_TOKEN')).toBeUndefined();
    expect(aws.secretReads).toEqual([SIGNING_ARN, CREDENTIALS_ARN]);

    // Rotated under the running container: the cache keeps the old value until a re-read.
    stored[CREDENTIALS_ARN] = JSON.stringify({ SLACK_BOT_TOKEN: 'fake-xoxb-new', ANTHROPIC_API_KEY: 'fake-key' });
    expect(await secrets.get('SLACK_BOT_TOKEN')).toBe('fake-xoxb-old');
    expect(await secrets.reread('SLACK_BOT_TOKEN')).toBe('fake-xoxb-new');
    expect(await secrets.get('SLACK_BOT_TOKEN')).toBe('fake-xoxb-new');
    expect(aws.secretReads).toEqual([SIGNING_ARN, CREDENTIALS_ARN, CREDENTIALS_ARN]);

    // A verifier is handed the signing secrets only: it cannot find a credential.
    const verifier = new SecretsManagerSecrets({ SIGNING_SECRETS_ARN: SIGNING_ARN });
    expect(await verifier.get('SLACK_BOT_TOKEN')).toBeUndefined();
    expect(await verifier.get('PAGERDUTY_WEBHOOK_SECRET')).toBe('fake-pd-old');
  });
});
