import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gitHubSource } from '../../functions/sources/github';
import { normalizeGitHubEvent } from '../../functions/sources/github/normalize';
import { signGitHubBody, verifyGitHubSignature } from '../../functions/sources/github/verify';
import { findSource } from '../../functions/sources/registry';
import { assertSingleByteChangesFail, keepsNormalizeContract, normalizedEvents, rejectionOf } from '../support/source-contract';

const raw = (name: string) => readFileSync(new URL(`../fixtures/github/${name}.json`, import.meta.url));
const fixture = (name: string) => JSON.parse(raw(name).toString('utf8'));
const secret = 'fake-github-secret-for-tests';
const now = new Date('2026-11-24T10:00:00Z');
const as = (event: string) => ({ 'x-github-event': event });
const eventsOf = (payload: unknown, event: string) => normalizedEvents((p, d) => normalizeGitHubEvent(p, d, as(event)), payload, 'delivery-1');

describe('verifyGitHubSignature (X-Hub-Signature-256)', () => {
  it("matches GitHub's documented test vector", () => {
    const vector = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    expect(signGitHubBody('Hello, World!', "It's a Secret to Everybody")).toBe(vector);
    expect(verifyGitHubSignature(Buffer.from('Hello, World!'), { 'x-hub-signature-256': vector }, "It's a Secret to Everybody")).toBe(true);
  });

  const body = raw('deployment-status-success');
  const header = signGitHubBody(body, secret);

  it('accepts the HMAC of the raw body through the registered source', () => {
    expect(findSource('github')).toBe(gitHubSource);
    expect(gitHubSource.secretName).toBe('GITHUB_WEBHOOK_SECRET');
    expect(gitHubSource.verify(body, { 'x-hub-signature-256': header }, secret, now)).toBe(true);
  });

  it('rejects the wrong secret, the legacy SHA-1 header alone, other schemes and malformed values', () => {
    expect(verifyGitHubSignature(body, { 'x-hub-signature-256': header }, 'another-secret')).toBe(false);
    expect(verifyGitHubSignature(body, { 'x-hub-signature': `sha1=${'0'.repeat(40)}` }, secret)).toBe(false);
    expect(verifyGitHubSignature(body, { 'x-hub-signature-256': header.replace('sha256=', 'sha1=') }, secret)).toBe(false);
    expect(verifyGitHubSignature(body, { 'x-hub-signature-256': header.slice(7) }, secret)).toBe(false);
    expect(verifyGitHubSignature(body, { 'x-hub-signature-256': header.slice(0, -2) }, secret)).toBe(false);
    expect(verifyGitHubSignature(body, { 'x-hub-signature-256': 'sha256=' }, secret)).toBe(false);
    expect(verifyGitHubSignature(body, {}, secret)).toBe(false);
    expect(verifyGitHubSignature(body, { 'x-hub-signature-256': signGitHubBody(body, '') }, '')).toBe(false);
  });

  it('rejects any single-byte modification of a signed body', () => {
    assertSingleByteChangesFail(
      (bytes) => ({ 'x-hub-signature-256': signGitHubBody(bytes, secret) }),
      (bytes, headers) => verifyGitHubSignature(bytes, headers, secret),
    );
  });

  it('uses X-GitHub-Delivery as the delivery id', () => {
    expect(gitHubSource.deliveryId({ 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958' }, {})).toBe('72d3162e-cc78-11e3-81ab-4c9367dc0958');
    expect(gitHubSource.deliveryId({}, {})).toBeUndefined();
  });
});

describe('normalizeGitHubEvent', () => {
  it('maps a successful deployment_status to deployment.succeeded with the raw production facts', () => {
    const [event] = eventsOf(fixture('deployment-status-success'), 'deployment_status');
    expect(event).toEqual({
      id: 'github:deployment_status:2200001',
      source: 'github',
      type: 'deployment.succeeded',
      occurredAt: '2026-11-24T10:00:00.000Z',
      deliveryId: 'delivery-1',
      subject: {
        kind: 'deployment',
        id: 'acme/checkout-api#1100001',
        key: 'acme/checkout-api@production',
        title: 'acme/checkout-api to production',
        url: 'https://github.com/acme/checkout-api/actions/runs/9900001',
      },
      actors: [{ role: 'agent', name: 'github-actions[bot]' }],
      links: [
        { label: 'Deployment of acme/checkout-api', url: 'https://github.com/acme/checkout-api/actions/runs/9900001' },
        { label: 'GitHub acme/checkout-api', url: 'https://github.com/acme/checkout-api' },
      ],
      facts: {
        repository: 'acme/checkout-api',
        environment: 'production',
        productionEnvironment: true,
        transientEnvironment: false,
        state: 'success',
        deploymentId: '1100001',
        sha: '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567',
        ref: 'main',
        deploymentCreatedAt: '2026-11-24T09:52:00.000Z',
      },
    });
  });

  it('maps failure and error to deployment.failed, ignores pending and unknown states, and keeps an unset production flag unset', () => {
    const payload = fixture('deployment-status-success');
    for (const state of ['failure', 'error']) {
      payload.deployment_status.state = state;
      expect(eventsOf(payload, 'deployment_status')[0]?.type).toBe('deployment.failed');
    }
    // `__proto__` once slipped through a plain-object lookup of the state.
    for (const state of ['pending', 'in_progress', 'queued', 'inactive', 'rolled_sideways', '__proto__', 'constructor']) {
      payload.deployment_status.state = state;
      expect(normalizeGitHubEvent(payload, 'd', as('deployment_status'))).toEqual({ ignored: true, reason: expect.stringContaining(state) });
    }
    payload.deployment_status.state = 'success';
    delete payload.deployment.production_environment;
    payload.deployment_status.environment = 'staging';
    expect(eventsOf(payload, 'deployment_status')[0]?.facts).toMatchObject({ environment: 'staging', productionEnvironment: null });
  });

  it('maps a merged pull request to pull_request.merged without copying its body', () => {
    const [event] = eventsOf(fixture('pull-request-merged'), 'pull_request');
    expect(event).toMatchObject({
      id: 'github:pull_request:3300001:merged',
      type: 'pull_request.merged',
      occurredAt: '2026-11-24T09:30:00.000Z',
      subject: {
        kind: 'pull_request',
        id: 'acme/checkout-api#418',
        key: 'acme/checkout-api#418',
        title: 'Retry card authorisation once on a gateway timeout',
        url: 'https://github.com/acme/checkout-api/pull/418',
      },
      facts: {
        repository: 'acme/checkout-api',
        number: 418,
        openedAt: '2026-11-23T15:00:00.000Z',
        mergedAt: '2026-11-24T09:30:00.000Z',
        firstCommitAt: null,
        mergeCommitSha: '0a1b2c3d4e5f60718293a4b5c6d7e8f901234567',
      },
    });
    expect(event?.actors).toEqual([
      { role: 'author', name: 'dev-ada-fake' },
      { role: 'agent', name: 'dev-bob-fake' },
    ]);
    expect(JSON.stringify(event)).not.toContain('Ignore previous instructions');
  });

  it('ignores pull requests closed without merging and other actions, ping and other events, with a reason', () => {
    const unmerged = fixture('pull-request-merged');
    unmerged.pull_request.merged = false;
    unmerged.pull_request.merged_at = null;
    expect(normalizeGitHubEvent(unmerged, 'd', as('pull_request'))).toEqual({ ignored: true, reason: expect.stringContaining('without merging') });
    const opened = { ...fixture('pull-request-merged'), action: 'opened' };
    expect(normalizeGitHubEvent(opened, 'd', as('pull_request'))).toEqual({ ignored: true, reason: expect.stringContaining('opened') });
    expect(normalizeGitHubEvent(fixture('ping'), 'd', as('ping'))).toEqual({ ignored: true, reason: expect.stringContaining('ping') });
    expect(normalizeGitHubEvent(fixture('ping'), 'd')).toEqual({ ignored: true, reason: expect.stringContaining('ping') });
    expect(normalizeGitHubEvent({ ref: 'main' }, 'd', as('push'))).toEqual({ ignored: true, reason: expect.stringContaining('push') });
  });

  it('reads the event from the payload shape when the header is missing', () => {
    expect(normalizedEvents(normalizeGitHubEvent, fixture('pull-request-merged'), 'd')[0]?.type).toBe('pull_request.merged');
    expect(normalizedEvents(normalizeGitHubEvent, fixture('deployment-status-success'), 'd')[0]?.type).toBe('deployment.succeeded');
  });

  it('tolerates unknown fields and rejects wrong types naming the field', () => {
    const extra = fixture('deployment-status-success');
    extra.somethingNew = { nested: [1, 2] };
    expect(eventsOf(extra, 'deployment_status')).toHaveLength(1);
    const deployment = (payload: unknown) => normalizeGitHubEvent(payload, 'd', as('deployment_status'));
    const cases: Array<[string, (p: ReturnType<typeof fixture>) => void, RegExp]> = [
      ['created_at', (p) => (p.deployment_status.created_at = 'yesterday'), /^deployment_status\.created_at:/],
      ['environment', (p) => (p.deployment.environment = 7), /^deployment\.environment:/],
      ['full_name', (p) => delete p.repository.full_name, /^repository\.full_name:/],
      ['production flag', (p) => (p.deployment.production_environment = 'yes'), /^deployment\.production_environment:/],
    ];
    for (const [name, mutate, message] of cases) {
      const p = fixture('deployment-status-success');
      mutate(p);
      expect({ name, message: rejectionOf(deployment, p) }).toEqual({ name, message: expect.stringMatching(message) });
    }
    const pr = fixture('pull-request-merged');
    pr.pull_request.merged_at = 42;
    expect(rejectionOf((p) => normalizeGitHubEvent(p, 'd', as('pull_request')), pr)).toMatch(/^pull_request\.merged_at:/);
  });

  it('keeps the normalize contract for any input, with and without an event header', () => {
    const events = fc.constantFrom('deployment_status', 'pull_request', 'ping', 'push', undefined);
    fc.assert(
      fc.property(fc.anything(), events, (payload, event) => keepsNormalizeContract((p, d) => normalizeGitHubEvent(p, d, event ? as(event) : {}))(payload)),
    );
    const deployment = fixture('deployment-status-success');
    fc.assert(
      fc.property(fc.string(), fc.string(), (state, environment) => {
        const p = structuredClone(deployment);
        p.deployment_status.state = state;
        p.deployment_status.environment = environment;
        return keepsNormalizeContract((x, d) => normalizeGitHubEvent(x, d, as('deployment_status')))(p);
      }),
    );
  });
});
