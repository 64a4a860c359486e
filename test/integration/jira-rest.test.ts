import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jiraFromSecrets } from '../../functions/adapters/jira-from-secrets';
import { JiraRest, JiraWriteBackError } from '../../functions/adapters/jira-rest';
import { type FakeJira, startFakeJira } from '../../local/fake-jira';
import { RotatingSecrets } from '../support/rotating-secrets';
import { VirtualTime } from '../support/virtual-time';

const EMAIL = 'bot@example.com';
const TOKEN = 'fake-jira-token-for-tests';
const BASIC = Buffer.from(`${EMAIL}:${TOKEN}`).toString('base64');

/** The rejection of `promise`, failing the test if it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('JiraRest (global fetch against a fake Jira Cloud)', () => {
  let jira: FakeJira;
  let client: JiraRest;
  beforeEach(async () => {
    jira = await startFakeJira();
    client = new JiraRest({ baseUrl: jira.baseUrl, email: EMAIL, apiToken: TOKEN, timeoutMs: 1000 });
  });
  afterEach(async () => {
    await jira.stop();
  });

  it('posts a comment as ADF with Basic auth, one paragraph per blank-line-separated block', async () => {
    await client.comment('VP-42', 'Approved by Ana Silva.\n\nReason: budget is in plan.\nSee Q3 forecast.');
    expect(jira.requests).toHaveLength(1);
    const request = jira.requests[0];
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/rest/api/3/issue/VP-42/comment');
    expect(request?.headers.authorization).toBe(`Basic ${BASIC}`);
    expect(Buffer.from(BASIC, 'base64').toString()).toBe('bot@example.com:fake-jira-token-for-tests');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.body).toEqual({
      body: {
        type: 'doc',
        version: 1,
        content: [
          { type: 'paragraph', content: [{ type: 'text', text: 'Approved by Ana Silva.' }] },
          {
            type: 'paragraph',
            content: [{ type: 'text', text: 'Reason: budget is in plan.' }, { type: 'hardBreak' }, { type: 'text', text: 'See Q3 forecast.' }],
          },
        ],
      },
    });
  });

  it('posts a transition with the configured id', async () => {
    await client.transition('FIN_OPS-7', '31');
    expect(jira.requests).toHaveLength(1);
    expect(jira.requests[0]).toMatchObject({
      method: 'POST',
      path: '/rest/api/3/issue/FIN_OPS-7/transitions',
      body: { transition: { id: '31' } },
    });
    expect(jira.requests[0]?.headers.authorization).toBe(`Basic ${BASIC}`);
  });

  it('retries a 503 and then succeeds', async () => {
    jira.reply({ status: 503, headers: { 'retry-after': '0' } }, { status: 201, body: { id: '10001' } });
    await expect(client.comment('VP-42', 'Rejected by Ana Silva.')).resolves.toBeUndefined();
    expect(jira.requests).toHaveLength(2);
    expect(jira.requests[1]?.body).toEqual(jira.requests[0]?.body);
  });

  it('backs off on a 503 without Retry-After and on a 429, honouring Retry-After seconds', async () => {
    jira.reply(503, { status: 429, headers: { 'retry-after': '1' } });
    const started = Date.now();
    await client.transition('VP-42', '41');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(jira.requests).toHaveLength(3);
  });

  it('gives up on a persistent 500 after 3 requests without leaking the token', async () => {
    const body = {
      errorMessages: [`Internal server error for ${TOKEN}`, 'x'.repeat(500)],
      errors: { secret: 'response-body-secret-value' },
    };
    jira.reply(...[1, 2, 3].map(() => ({ status: 500, body, headers: { 'retry-after': '0' } })));
    const error = await rejectionOf(client.comment('VP-42', 'Approved.'));
    expect(error).toBeInstanceOf(JiraWriteBackError);
    expect(error).toMatchObject({ operation: 'comment', issueKey: 'VP-42', status: 500, attempts: 3 });
    expect(jira.requests).toHaveLength(3);
    const message = (error as Error).message;
    expect(message).toContain('comment');
    expect(message).toContain('VP-42');
    expect(message).toContain('500');
    expect(message).toContain('Internal server error for [redacted]');
    expect(message).not.toContain(TOKEN);
    expect(message).not.toContain(BASIC);
    expect(message).not.toContain('response-body-secret-value');
    expect(message.length).toBeLessThan(400);
  });

  it('does not retry a 400 and reports Jira’s errorMessages', async () => {
    jira.reply({ status: 400, body: { errorMessages: ['Transition id 99 is not valid for this issue.'], errors: {} } });
    const error = await rejectionOf(client.transition('VP-42', '99'));
    expect(error).toBeInstanceOf(JiraWriteBackError);
    expect(error).toMatchObject({ operation: 'transition', status: 400, attempts: 1 });
    expect((error as Error).message).toContain('Transition id 99 is not valid');
    expect(jira.requests).toHaveLength(1);
  });

  it('honours maxRetries: 0 on a 5xx', async () => {
    const once = new JiraRest({ baseUrl: jira.baseUrl, email: EMAIL, apiToken: TOKEN, maxRetries: 0 });
    jira.reply(502);
    await expect(once.comment('VP-42', 'Approved.')).rejects.toMatchObject({ status: 502, attempts: 1 });
    expect(jira.requests).toHaveLength(1);
  });

  it('fails with a timeout when Jira answers after timeoutMs, without retrying', async () => {
    const quick = new JiraRest({ baseUrl: jira.baseUrl, email: EMAIL, apiToken: TOKEN, timeoutMs: 100 });
    jira.reply({ status: 201, body: { id: '10002' }, delayMs: 2000 });
    const started = Date.now();
    const error = await rejectionOf(quick.comment('VP-42', 'Approved.'));
    expect(Date.now() - started).toBeLessThan(1500);
    expect(error).toBeInstanceOf(JiraWriteBackError);
    expect(error).toMatchObject({ status: undefined, attempts: 1 });
    expect((error as Error).message).toMatch(/timed out after 100 ms/);
    expect(jira.requests).toHaveLength(1);
  });

  it('reports a network error as a JiraWriteBackError', async () => {
    await jira.stop();
    const error = await rejectionOf(client.comment('VP-42', 'Approved.'));
    expect(error).toBeInstanceOf(JiraWriteBackError);
    expect((error as Error).message).toContain('network error');
    jira = await startFakeJira(); // for afterEach
  });

  it('rejects an invalid issue key, transition id or empty comment before any request', async () => {
    for (const key of ['vp-42', 'VP42', 'V-1', 'VP-42/../../myself', 'VP-42?x=1', ' VP-42', '']) {
      await expect(client.comment(key, 'Approved.')).rejects.toBeInstanceOf(TypeError);
      await expect(client.transition(key, '31')).rejects.toBeInstanceOf(TypeError);
    }
    await expect(client.transition('VP-42', '31/../x')).rejects.toBeInstanceOf(TypeError);
    await expect(client.comment('VP-42', ' \n\n ')).rejects.toBeInstanceOf(TypeError);
    expect(jira.requests).toHaveLength(0);
  });

  it('rejects a non-https base URL (except the local fake) and bad options in the constructor', () => {
    const make = (baseUrl: string) => () => new JiraRest({ baseUrl, email: EMAIL, apiToken: TOKEN });
    expect(make('http://acme.atlassian.net')).toThrow(TypeError);
    expect(make('http://acme.atlassian.net')).toThrow(/https/);
    expect(make('ftp://acme.atlassian.net')).toThrow(TypeError);
    expect(make('acme.atlassian.net')).toThrow(TypeError);
    expect(make('https://user:pass@acme.atlassian.net')).toThrow(TypeError);
    expect(make('https://acme.atlassian.net/')).not.toThrow();
    expect(make('http://localhost:8080')).not.toThrow();
    expect(() => new JiraRest({ baseUrl: 'https://acme.atlassian.net', email: EMAIL, apiToken: '' })).toThrow(TypeError);
    expect(() => new JiraRest({ baseUrl: 'https://acme.atlassian.net', email: EMAIL, apiToken: TOKEN, maxRetries: -1 })).toThrow(TypeError);
    expect(jira.requests).toHaveLength(0);
  });

  it('the fake answers 404 for other paths', async () => {
    const response = await fetch(`${jira.baseUrl}/rest/api/3/myself`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ errorMessages: [expect.any(String)] });
  });
});

describe('Jira write-back with the token from the secrets, rotated under a running container', () => {
  let jira: FakeJira;
  beforeEach(async () => {
    jira = await startFakeJira();
  });
  afterEach(async () => {
    await jira.stop();
  });

  it('a 401 re-reads the token once and the comment is posted once, with the new token; later writes use it at once', async () => {
    const secrets = new RotatingSecrets({ JIRA_API_TOKEN: 'fake-old-jira-token' });
    const tracker = jiraFromSecrets(secrets, { baseUrl: jira.baseUrl, email: EMAIL, timeoutMs: 1000 }, new VirtualTime('2026-12-02T09:00:00Z'));
    secrets.rotate('JIRA_API_TOKEN', 'fake-new-jira-token');
    jira.reply(401); // the old token, revoked in Atlassian
    await tracker.comment('VP-42', 'Approved by Ana Silva.');
    await tracker.transition('VP-42', '31');
    const basic = (token: string) => `Basic ${Buffer.from(`${EMAIL}:${token}`).toString('base64')}`;
    expect(jira.requests.map((request) => request.headers.authorization)).toEqual([
      basic('fake-old-jira-token'),
      basic('fake-new-jira-token'),
      basic('fake-new-jira-token'),
    ]);
    expect(secrets.rereads).toBe(1);
  });

  it("a 401 with no new token is the caller's error, after one re-read", async () => {
    const secrets = new RotatingSecrets({ JIRA_API_TOKEN: 'fake-revoked-jira-token' });
    const tracker = jiraFromSecrets(secrets, { baseUrl: jira.baseUrl, email: EMAIL, timeoutMs: 1000 }, new VirtualTime('2026-12-02T09:00:00Z'));
    jira.reply(401, 401);
    await expect(tracker.comment('VP-42', 'Approved.')).rejects.toMatchObject({ status: 401 });
    await expect(tracker.comment('VP-42', 'Approved.')).rejects.toMatchObject({ status: 401 });
    expect(secrets.rereads).toBe(1);
    expect(jira.requests).toHaveLength(2);
  });
});
