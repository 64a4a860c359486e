import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertSingleByteChangesFail, keepsNormalizeContract, normalizedEvents } from '../support/source-contract';
import { jiraSource } from '../../functions/sources/jira';
import { normalizeJiraEvent } from '../../functions/sources/jira/normalize';
import { jiraDeliveryId, signJiraBody, verifyJiraSignature } from '../../functions/sources/jira/verify';
import { PayloadInvalidError } from '../../functions/sources/types';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/jira/${name}.json`, import.meta.url), 'utf8'));

const eventsOf = (payload: unknown) => normalizedEvents(normalizeJiraEvent, payload, 'delivery-1');

const secret = 'fake-jira-secret-for-tests';
const now = new Date('2026-03-02T10:15:00Z');

describe('verifyJiraSignature (X-Hub-Signature)', () => {
  it("matches Atlassian's published vector", () => {
    const vector = 'sha256=a4771c39fbe90f317c7824e83ddef3caae9cb3d976c214ace1f2937e133263c9';
    expect(signJiraBody('Hello World!', "It's a Secret to Everybody")).toBe(vector);
    expect(verifyJiraSignature(Buffer.from('Hello World!'), { 'x-hub-signature': vector }, "It's a Secret to Everybody")).toBe(true);
  });

  const body = Buffer.from(readFileSync(new URL('../fixtures/jira/issue-updated-status.json', import.meta.url)));
  const header = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

  it('accepts the HMAC of the raw body through the source interface', () => {
    expect(jiraSource.verify(body, { 'x-hub-signature': header }, secret, now)).toBe(true);
  });

  it('rejects tampering, the wrong secret, other schemes and malformed values', () => {
    const tampered = Buffer.from(body);
    tampered.writeUInt8(tampered.readUInt8(10) ^ 1, 10);
    expect(verifyJiraSignature(tampered, { 'x-hub-signature': header }, secret)).toBe(false);
    expect(verifyJiraSignature(body, { 'x-hub-signature': header }, 'another-secret')).toBe(false);
    expect(verifyJiraSignature(body, { 'x-hub-signature': header.replace('sha256=', 'sha1=') }, secret)).toBe(false);
    expect(verifyJiraSignature(body, { 'x-hub-signature': header.slice(7) }, secret)).toBe(false);
    expect(verifyJiraSignature(body, { 'x-hub-signature': header.slice(0, -2) }, secret)).toBe(false);
    expect(verifyJiraSignature(body, { 'x-hub-signature': 'sha256=' }, secret)).toBe(false);
    expect(verifyJiraSignature(body, {}, secret)).toBe(false);
  });

  it('never accepts an empty secret', () => {
    expect(verifyJiraSignature(body, { 'x-hub-signature': signJiraBody(body, '') }, '')).toBe(false);
    expect(verifyJiraSignature(body, { 'x-automation-webhook-token': '' }, '')).toBe(false);
  });

  it('rejects any single-byte modification of a signed body', () => {
    assertSingleByteChangesFail(
      (bytes) => ({ 'x-hub-signature': signJiraBody(bytes, secret) }),
      (bytes, headers) => verifyJiraSignature(bytes, headers, secret),
      512,
    );
  });
});

describe('verifyJiraSignature (Automation shared-secret token)', () => {
  const body = Buffer.from('{"webhookEvent":"jira:issue_updated"}');

  it('accepts the exact token and rejects others', () => {
    expect(verifyJiraSignature(body, { 'x-automation-webhook-token': secret }, secret)).toBe(true);
    expect(verifyJiraSignature(body, { 'x-automation-webhook-token': `${secret}x` }, secret)).toBe(false);
    expect(verifyJiraSignature(body, { 'x-automation-webhook-token': secret.slice(0, -1) }, secret)).toBe(false);
    expect(verifyJiraSignature(body, { 'x-automation-webhook-token': secret.toUpperCase() }, secret)).toBe(false);
    expect(verifyJiraSignature(body, { 'x-automation-webhook-token': 'wrong' }, secret)).toBe(false);
  });

  it('lets a present X-Hub-Signature decide alone', () => {
    const headers = { 'x-hub-signature': 'sha256=00', 'x-automation-webhook-token': secret };
    expect(verifyJiraSignature(body, headers, secret)).toBe(false);
  });
});

describe('jira deliveryId', () => {
  it('uses the Atlassian identifier, then the Automation header, then a payload hash', () => {
    const payload = fixture('automation-status');
    expect(jiraDeliveryId({ 'x-atlassian-webhook-identifier': 'abc-123', 'x-automation-delivery-id': 'x' }, payload)).toBe('abc-123');
    expect(jiraDeliveryId({ 'x-automation-delivery-id': 'rule-7-run-9' }, payload)).toBe('rule-7-run-9');
    const digest = createHash('sha256')
      .update('1772450000000' + '10077' + 'jira:issue_updated')
      .digest('hex');
    expect(jiraSource.deliveryId({}, payload)).toBe(`jira-auto-${digest}`);
    expect(jiraDeliveryId({}, 'nope')).toBeUndefined();
    expect(jiraDeliveryId({}, { webhookEvent: 'x' })).toBeUndefined();
  });
});

describe('normalizeJiraEvent', () => {
  it('maps a status changelog item to issue.transitioned', () => {
    const [event] = eventsOf(fixture('issue-updated-status'));
    expect(event).toMatchObject({
      id: 'jira:10042:1772446500412:10400',
      source: 'jira',
      type: 'issue.transitioned',
      occurredAt: new Date(1772446500412).toISOString(),
      deliveryId: 'delivery-1',
      subject: { kind: 'issue', id: '10042', key: 'OPS-42', title: 'Checkout intermittently returns 502', url: 'https://acme.atlassian.net/browse/OPS-42' },
      priority: 'High',
      links: [{ label: 'Jira OPS-42', url: 'https://acme.atlassian.net/browse/OPS-42' }],
      facts: {
        fromStatus: 'To Do',
        toStatus: 'In Progress',
        issueType: 'Bug',
        project: 'Operations',
        projectKey: 'OPS',
        assignee: 'Bob Fakename',
        reporter: 'Ada Testperson',
        priority: 'High',
        labels: ['checkout', 'customer-impact'],
        statusCategory: 'In Progress',
      },
    });
    expect(event?.actors).toEqual([
      { role: 'agent', name: 'Bob Fakename', id: '5b10ac8d82e05b22cc7d4ef5' },
      { role: 'assignee', name: 'Bob Fakename', id: '5b10ac8d82e05b22cc7d4ef5' },
      { role: 'reporter', name: 'Ada Testperson', id: '5b10a2844c20165700ede21g' },
    ]);
  });

  it('never copies comments and only a trimmed description excerpt', () => {
    const payload = fixture('issue-updated-status');
    payload.issue.fields.description = `  ${'x'.repeat(2000)}  `;
    const [event] = eventsOf(payload);
    const serialised = JSON.stringify(event);
    expect(serialised).not.toContain('Ignore previous instructions');
    expect(serialised).not.toContain('emailAddress');
    expect(typeof event?.facts.descriptionExcerpt).toBe('string');
    expect(String(event?.facts.descriptionExcerpt).length).toBeLessThanOrEqual(500);
  });

  it('detects the transition from the changelog, not from issue_event_type_name', () => {
    const payload = fixture('issue-updated-status');
    payload.issue_event_type_name = 'issue_assigned';
    expect(eventsOf(payload)[0]?.type).toBe('issue.transitioned');
    const assigned = fixture('issue-updated-assignee');
    assigned.issue_event_type_name = 'issue_generic';
    expect(eventsOf(assigned)[0]?.type).toBe('issue.updated');
  });

  it('maps a non-status update to issue.updated with the changed field names', () => {
    const [event] = eventsOf(fixture('issue-updated-assignee'));
    expect(event).toMatchObject({
      id: 'jira:10042:1772447100000:10401',
      type: 'issue.updated',
      facts: { changedFields: ['assignee'], assignee: 'Bob Fakename' },
    });
    expect(event?.facts.fromStatus).toBeUndefined();
  });

  it('maps issue_created to issue.created', () => {
    const [event] = eventsOf(fixture('issue-created'));
    expect(event).toMatchObject({
      id: 'jira:10042:1772445491320:created',
      type: 'issue.created',
      subject: { key: 'OPS-42', url: 'https://acme.atlassian.net/browse/OPS-42' },
      facts: { status: 'To Do', statusCategory: 'To Do', assignee: null, reporter: 'Ada Testperson' },
    });
    expect(event?.actors.map((actor) => actor.role)).toEqual(['agent', 'reporter']);
  });

  it('maps an Automation-style payload', () => {
    const [event] = eventsOf(fixture('automation-status'));
    expect(event).toMatchObject({
      id: 'jira:10077:1772450000000:auto-88123',
      type: 'issue.transitioned',
      subject: { key: 'PLAT-7', url: 'https://acme.atlassian.net/browse/PLAT-7' },
      facts: { fromStatus: 'In Review', toStatus: 'Done', projectKey: 'PLAT', statusCategory: 'Done' },
    });
  });

  it('ignores other event types with a reason', () => {
    expect(normalizeJiraEvent(fixture('comment-created'), 'd')).toEqual({ ignored: true, reason: expect.stringContaining('comment_created') });
    expect(normalizeJiraEvent({ webhookEvent: 'jira:issue_deleted' }, 'd').ignored).toBe(true);
  });

  it('tolerates unknown fields and rejects wrong types naming the field', () => {
    const extra = fixture('issue-updated-status');
    extra.somethingNew = { nested: [1, 2] };
    extra.issue.fields.customfield_99999 = 'x';
    expect(eventsOf(extra)).toHaveLength(1);
    const remove = Symbol('remove');
    const cases: Array<[string, unknown, RegExp]> = [
      ['timestamp', '1772446500412', /^timestamp:/],
      ['issue.id', 10042, /^issue\.id:/],
      ['issue.fields.labels', 'checkout', /^issue\.fields\.labels:/],
      ['issue.fields.priority.name', 2, /^issue\.fields\.priority\.name:/],
      ['changelog.items.1.field', null, /^changelog\.items\.1\.field:/],
      ['changelog.items.1.toString', 3, /^changelog\.items\.1\.toString:/],
      ['issue', remove, /^issue:/],
      ['webhookEvent', 7, /^webhookEvent:/],
    ];
    for (const [path, value, message] of cases) {
      const payload = fixture('issue-updated-status');
      const parts = path.split('.');
      const last = parts.pop() ?? '';
      let target: Record<string, unknown> = payload;
      for (const part of parts) target = target[part] as Record<string, unknown>;
      if (value === remove) delete target[last];
      else target[last] = value;
      expect(() => normalizeJiraEvent(payload, 'd')).toThrow(PayloadInvalidError);
      expect(() => normalizeJiraEvent(payload, 'd')).toThrow(message);
    }
    expect(() => normalizeJiraEvent([], 'd')).toThrow(PayloadInvalidError);
    expect(() => normalizeJiraEvent(null, 'd')).toThrow(PayloadInvalidError);
  });

  it('accepts a changelog item without its own toString', () => {
    const payload = fixture('issue-updated-status');
    delete payload.changelog.items[1].toString;
    expect(eventsOf(payload)[0]?.facts.toStatus).toBeNull();
  });

  it('drops non-http links', () => {
    const payload = fixture('issue-updated-status');
    payload.issue.self = 'javascript:alert(1)';
    const [event] = eventsOf(payload);
    expect(event?.subject.url).toBeUndefined();
    expect(event?.links).toEqual([]);
  });

  it('redacts emails, description and comments for storage', () => {
    const redact = jiraSource.redactForStorage;
    if (!redact) throw new Error('redactForStorage missing');
    const stored = JSON.stringify(redact(fixture('issue-updated-status')));
    expect(stored).not.toContain('@example.com');
    expect(stored).not.toContain('Ignore previous instructions');
    expect(stored).not.toContain('Checkout returns HTTP 502');
    expect(stored).toContain('OPS-42');
  });
});

describe('normalizeJiraEvent properties', () => {
  const onlyPayloadInvalidOrCanonical = keepsNormalizeContract(normalizeJiraEvent, 'delivery-p');

  it('arbitrary strings and bytes either fail with PayloadInvalidError or yield canonical events', () => {
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.uint8Array().map((b) => Buffer.from(b).toString('utf8')),
      fc.json(),
    );
    fc.assert(
      fc.property(text, (raw) => {
        let payload: unknown;
        try {
          payload = JSON.parse(raw);
        } catch {
          return true;
        }
        return onlyPayloadInvalidOrCanonical(payload);
      }),
      { numRuns: 500 },
    );
  });

  it('near-valid payloads with arbitrary values either fail with PayloadInvalidError or yield canonical events', () => {
    const anything = fc.oneof(fc.jsonValue(), fc.string({ unit: 'binary', maxLength: 3000 }), fc.constant(undefined));
    const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ arbitrary: arb, weight: 6 }, { arbitrary: anything, weight: 1 });
    const payload = fc.record(
      {
        webhookEvent: maybe(fc.constantFrom('jira:issue_created', 'jira:issue_updated', 'worklog_created')),
        timestamp: maybe(fc.oneof(fc.integer({ min: 0 }), fc.double(), fc.constant(8.64e15))),
        user: maybe(fc.record({ displayName: maybe(fc.string({ maxLength: 400 })), accountId: maybe(fc.string({ maxLength: 400 })) })),
        issue: maybe(
          fc.record({
            id: maybe(fc.string({ minLength: 1, maxLength: 120 })),
            key: maybe(fc.string({ minLength: 1, maxLength: 120 })),
            self: maybe(fc.oneof(fc.webUrl(), fc.constantFrom('https://acme.atlassian.net/rest/api/2/issue/1', 'file:///etc/passwd', 'http://[::1]:80/'))),
            fields: maybe(
              fc.record({
                summary: maybe(fc.string({ maxLength: 2000 })),
                priority: maybe(fc.record({ name: maybe(fc.string({ maxLength: 100 })) })),
                labels: maybe(fc.array(fc.string())),
                assignee: maybe(fc.record({ displayName: maybe(fc.string({ maxLength: 400 })) })),
                status: maybe(fc.record({ name: maybe(fc.string()), statusCategory: maybe(fc.record({ name: maybe(fc.string()) })) })),
                description: anything,
              }),
            ),
          }),
        ),
        changelog: maybe(
          fc.record({
            id: maybe(fc.oneof(fc.string({ maxLength: 60 }), fc.integer())),
            items: maybe(fc.array(fc.record({ field: maybe(fc.constantFrom('status', 'assignee')), fromString: anything, toString: anything }))),
          }),
        ),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(payload, (p) => onlyPayloadInvalidOrCanonical(JSON.parse(JSON.stringify(p)))),
      { numRuns: 1000 },
    );
  });
});
