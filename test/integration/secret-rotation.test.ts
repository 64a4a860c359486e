import { describe, expect, it } from 'vitest';
import { secretField } from '../../functions/adapters/secrets-manager-secrets';
import { DynamoStore } from '../../functions/adapters/dynamo-store';
import { EnvSecrets } from '../../functions/adapters/env-secrets';
import type { HttpRequest } from '../../functions/core/http';
import { signingSecrets } from '../../functions/core/signing-secrets';
import { ingestWebhook, type IngestDeps } from '../../functions/ingest/ingest';
import { verifySlackSignature, signSlackRequest } from '../../functions/slack/inbound/verify-slack-signature';
import { signPagerDutyBody } from '../../functions/sources/pagerduty/verify';
import { sources } from '../../functions/sources/registry';
import { signers } from '../../local/scenarios/signers';
import { freshTable } from '../support/dynamo';
import { RotatingSecrets } from '../support/rotating-secrets';
import { VirtualTime } from '../support/virtual-time';
import { refuseUnverifiedSlackRequest } from '../../functions/slack/inbound/slack-request';

const NOW = new Date('2026-12-01T09:00:00Z');
const OLD = 'fake-old-signing-secret';
const NEW = 'fake-new-signing-secret';
const OTHER = 'fake-unknown-signing-secret';

/** A delivery `source` would send, signed with `secret` by the vendor's scheme; the body need not be a valid event. */
function signed(source: string, secret: string, n: number): HttpRequest {
  const sign = signers[source];
  if (!sign) throw new Error(`no signer for ${source} in local/scenarios/signers.ts`);
  const body = source === 'lever' ? JSON.stringify({ event: 'rotation', data: {} }) : JSON.stringify({ rotation: n });
  const delivery = sign({ source, deliveryId: `rot-${n}`, body }, secret, NOW);
  return { method: 'POST', headers: { 'content-type': 'application/json', ...delivery.headers }, body: new TextEncoder().encode(delivery.body) };
}

async function depsWith(stored: Record<string, string>): Promise<IngestDeps> {
  const table = await freshTable('rotation');
  return {
    store: new DynamoStore(table.db, table.tableName),
    bus: { publish: async () => {} },
    secrets: new EnvSecrets(stored),
    clock: { now: () => NOW },
    maxBodyBytes: 1024 * 1024,
  };
}

describe('signing secret rotation: a stored value may hold several secrets, one per line', () => {
  it('splits lines, drops empty ones and a trailing CR, keeps other whitespace', () => {
    expect(signingSecrets(`${OLD}\r\n${NEW}\n\n`)).toEqual([OLD, NEW]);
    expect(signingSecrets(' spaced ')).toEqual([' spaced ']);
    expect(signingSecrets('')).toEqual([]);
    expect(signingSecrets(undefined)).toEqual([]);
  });

  it.each(sources.map((source) => [source.name, source.secretName] as const))(
    '%s: both secrets verify during the window, only the new one after it, never an unknown one',
    async (name, secretName) => {
      // Verified but not a valid event: 400 (or 202 ignored) proves the signature passed; 401 that it did not.
      const during = await depsWith({ [secretName]: `${OLD}\n${NEW}` });
      expect((await ingestWebhook(name, signed(name, OLD, 1), during)).status).not.toBe(401);
      expect((await ingestWebhook(name, signed(name, NEW, 2), during)).status).not.toBe(401);
      expect((await ingestWebhook(name, signed(name, OTHER, 3), during)).status).toBe(401);

      const after = await depsWith({ [secretName]: NEW });
      expect((await ingestWebhook(name, signed(name, OLD, 4), after)).status).toBe(401);
      expect((await ingestWebhook(name, signed(name, NEW, 5), after)).status).not.toBe(401);
    },
  );

  it('pagerduty: a delivery carrying one signature per active secret verifies against either stored secret', async () => {
    const body = JSON.stringify({ rotation: 'both' });
    const request: HttpRequest = {
      method: 'POST',
      headers: { 'x-pagerduty-signature': signPagerDutyBody(body, [OLD, NEW]), 'x-webhook-id': 'rot-both' },
      body: new TextEncoder().encode(body),
    };
    expect((await ingestWebhook('pagerduty', request, await depsWith({ PAGERDUTY_WEBHOOK_SECRET: NEW }))).status).not.toBe(401);
    expect((await ingestWebhook('pagerduty', request, await depsWith({ PAGERDUTY_WEBHOOK_SECRET: OTHER }))).status).toBe(401);
  });

  it('slack: interactions signed with either secret verify while both are stored', () => {
    const body = 'payload=%7B%7D';
    const bytes = new TextEncoder().encode(body);
    for (const secret of [OLD, NEW]) {
      expect(verifySlackSignature(bytes, signSlackRequest(body, secret, NOW), `${OLD}\n${NEW}`, NOW)).toEqual({ ok: true });
    }
    expect(verifySlackSignature(bytes, signSlackRequest(body, OTHER, NOW), `${OLD}\n${NEW}`, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifySlackSignature(bytes, signSlackRequest(body, OLD, NOW), NEW, NOW)).toEqual({ ok: false, reason: 'bad_signature' });
  });
});

describe('the signing-secrets JSON secret (ADR 0012): a list of values per name', () => {
  it('gives a list one value per line, as the verifiers read a rotating secret, and a single string as is', () => {
    const json = { PAGERDUTY_WEBHOOK_SECRET: [OLD, NEW], JIRA_WEBHOOK_SECRET: ' spaced ', GITHUB_WEBHOOK_SECRET: ['', NEW] };
    expect(signingSecrets(secretField(json, 'PAGERDUTY_WEBHOOK_SECRET'))).toEqual([OLD, NEW]);
    expect(signingSecrets(secretField(json, 'JIRA_WEBHOOK_SECRET'))).toEqual([' spaced ']);
    expect(secretField(json, 'GITHUB_WEBHOOK_SECRET')).toBe(NEW);
  });

  it('treats a missing name, an empty list, a non-string or a value that is not an object as not configured', () => {
    expect(secretField({ PAGERDUTY_WEBHOOK_SECRET: [] }, 'PAGERDUTY_WEBHOOK_SECRET')).toBeUndefined();
    expect(secretField({ PAGERDUTY_WEBHOOK_SECRET: 42 }, 'PAGERDUTY_WEBHOOK_SECRET')).toBeUndefined();
    expect(secretField({}, 'SLACK_SIGNING_SECRET')).toBeUndefined();
    expect(secretField('not json', 'SLACK_SIGNING_SECRET')).toBeUndefined();
    expect(secretField(null, 'SLACK_SIGNING_SECRET')).toBeUndefined();
  });
});

describe('a signing secret rotated under a running container (cached an hour): no wait, no read per forged request', () => {
  /** Ingest as one warm container runs it: the secrets from its cache, time from a virtual clock. */
  async function warmIngest(secretName: string) {
    const table = await freshTable('rotation-warm');
    const secrets = new RotatingSecrets({ [secretName]: OLD });
    const clock = new VirtualTime(NOW);
    const deps: IngestDeps = { store: new DynamoStore(table.db, table.tableName), bus: { publish: async () => {} }, secrets, clock, maxBodyBytes: 1024 * 1024 };
    return { secrets, clock, deps };
  }

  it.each(sources.map((source) => [source.name, source.secretName] as const))(
    '%s: the first delivery signed with the new secret re-reads it and verifies; the old one is refused after that',
    async (name, secretName) => {
      const { secrets, deps } = await warmIngest(secretName);
      secrets.rotate(secretName, NEW); // the operator replaced the value; the vendor switched at once
      expect((await ingestWebhook(name, signed(name, NEW, 1), deps)).status).not.toBe(401);
      expect(secrets.rereads).toBe(1);
      expect((await ingestWebhook(name, signed(name, NEW, 2), deps)).status).not.toBe(401);
      expect((await ingestWebhook(name, signed(name, OLD, 3), deps)).status).toBe(401);
      expect(secrets.rereads).toBe(1); // the old one's refusal came within the minute: no second read
    },
  );

  it('forged deliveries: at most one Secrets Manager read a minute per container, however many arrive', async () => {
    const { secrets, clock, deps } = await warmIngest('PAGERDUTY_WEBHOOK_SECRET');
    for (let i = 0; i < 300; i += 1) {
      expect((await ingestWebhook('pagerduty', signed('pagerduty', OTHER, i), deps)).status).toBe(401);
      await clock.advance(1_000); // one a second for five minutes
    }
    expect(secrets.rereads).toBe(5);
  });

  it('slack: a click signed with a rotated signing secret verifies at once; forged clicks read at most once a minute', async () => {
    const secrets = new RotatingSecrets({ SLACK_SIGNING_SECRET: OLD });
    const clock = new VirtualTime(NOW);
    const request = (secret: string): HttpRequest => ({
      method: 'POST',
      headers: signSlackRequest('payload=%7B%7D', secret, clock.now()),
      body: new TextEncoder().encode('payload=%7B%7D'),
    });
    const check = (secret: string) => refuseUnverifiedSlackRequest(request(secret), { what: 'interactions', maxBytes: 4096, secrets, clock });
    secrets.rotate('SLACK_SIGNING_SECRET', NEW);
    expect(await check(NEW)).toBeUndefined();
    expect(secrets.rereads).toBe(1);
    for (let i = 0; i < 100; i += 1) expect((await check(OTHER))?.status).toBe(401);
    expect(secrets.rereads).toBe(1);
    await clock.advance(60_000);
    expect((await check(OTHER))?.status).toBe(401);
    expect(secrets.rereads).toBe(2);
    // A stale timestamp is never a reason to read the secret again.
    const stale = { ...request(NEW), headers: signSlackRequest('payload=%7B%7D', NEW, new Date(clock.now().getTime() - 600_000)) };
    await clock.advance(60_000);
    expect((await refuseUnverifiedSlackRequest(stale, { what: 'interactions', maxBytes: 4096, secrets, clock }))?.status).toBe(401);
    expect(secrets.rereads).toBe(2);
    // Nor is a request that carries no signature at all: a fresher secret cannot verify it.
    const unsigned = { ...request(NEW), headers: {} };
    expect((await refuseUnverifiedSlackRequest(unsigned, { what: 'interactions', maxBytes: 4096, secrets, clock }))?.status).toBe(401);
    expect(secrets.rereads).toBe(2);
  });
});
