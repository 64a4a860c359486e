import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_ACTION_VALUE_LENGTH, MAX_INPUT_VALUE_LENGTH, SlackPayloadError, parseSlackInteraction } from '../../functions/slack/inbound/interaction-payload';
import { buildBlockActionsBody, buildViewSubmissionBody } from '../../local/slack-interaction-payloads';
import { signSlackRequest, verifySlackSignature } from '../../functions/slack/inbound/verify-slack-signature';

// Slack's own worked example (https://api.slack.com/authentication/verifying-requests-from-slack).
const vectorSecret = '8f742231b10e8888abcd99yyyzzz85a5';
const vectorTimestamp = '1531420618';
const vectorBody =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const vectorSignature = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const vectorNow = new Date(Number(vectorTimestamp) * 1000);
const vectorHeaders = { 'x-slack-request-timestamp': vectorTimestamp, 'x-slack-signature': vectorSignature };

const secret = 'fake-slack-signing-secret-for-tests';
const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('verifySlackSignature', () => {
  it('accepts Slack’s published test vector', () => {
    expect(verifySlackSignature(bytes(vectorBody), vectorHeaders, vectorSecret, vectorNow)).toEqual({ ok: true });
  });

  it('signSlackRequest reproduces the published test vector', () => {
    expect(signSlackRequest(vectorBody, vectorSecret, vectorNow)).toEqual(vectorHeaders);
  });

  it('agrees with an independent HMAC of the documented base string', () => {
    const now = new Date('2025-01-02T03:04:05.678Z');
    const body = buildBlockActionsBody({ userId: 'U1', actionId: 'approve', value: 'req-1', now });
    const timestamp = String(Math.floor(now.getTime() / 1000));
    const expected = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
    const headers = signSlackRequest(body, secret, now);
    expect(headers).toEqual({ 'x-slack-request-timestamp': timestamp, 'x-slack-signature': expected });
    expect(verifySlackSignature(bytes(body), headers, secret, now)).toEqual({ ok: true });
  });

  it('accepts uppercase hex and the edges of the five-minute window', () => {
    const upper = { ...vectorHeaders, 'x-slack-signature': `v0=${vectorSignature.slice(3).toUpperCase()}` };
    expect(verifySlackSignature(bytes(vectorBody), upper, vectorSecret, vectorNow)).toEqual({ ok: true });
    for (const offset of [-300_000, 300_000, 299_999]) {
      const now = new Date(vectorNow.getTime() + offset);
      expect(verifySlackSignature(bytes(vectorBody), vectorHeaders, vectorSecret, now)).toEqual({ ok: true });
    }
  });

  it('rejects a timestamp 301 seconds old or 301 seconds ahead as stale', () => {
    for (const offset of [301_000, -301_000]) {
      const now = new Date(vectorNow.getTime() + offset);
      expect(verifySlackSignature(bytes(vectorBody), vectorHeaders, vectorSecret, now)).toEqual({
        ok: false,
        reason: 'stale_timestamp',
      });
    }
  });

  it('honours a custom tolerance', () => {
    const now = new Date(vectorNow.getTime() + 61_000);
    expect(verifySlackSignature(bytes(vectorBody), vectorHeaders, vectorSecret, now, 60)).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verifySlackSignature(bytes(vectorBody), vectorHeaders, vectorSecret, now, 120)).toEqual({ ok: true });
  });

  it('rejects timestamps that are not whole seconds, and an invalid clock, as stale', () => {
    for (const timestamp of ['1531420618.0', '1.531420618e9', '-1531420618', '+1531420618', '0x5b47bcca', 'abc', '1531420618000']) {
      expect(verifySlackSignature(bytes(vectorBody), { ...vectorHeaders, 'x-slack-request-timestamp': timestamp }, vectorSecret, vectorNow)).toEqual({
        ok: false,
        reason: 'stale_timestamp',
      });
    }
    expect(verifySlackSignature(bytes(vectorBody), vectorHeaders, vectorSecret, new Date(Number.NaN))).toEqual({ ok: false, reason: 'stale_timestamp' });
  });

  it('reports missing headers', () => {
    const missing = { ok: false, reason: 'missing_headers' };
    expect(verifySlackSignature(bytes(vectorBody), {}, vectorSecret, vectorNow)).toEqual(missing);
    expect(verifySlackSignature(bytes(vectorBody), { 'x-slack-signature': vectorSignature }, vectorSecret, vectorNow)).toEqual(missing);
    expect(verifySlackSignature(bytes(vectorBody), { 'x-slack-request-timestamp': vectorTimestamp }, vectorSecret, vectorNow)).toEqual(missing);
    expect(verifySlackSignature(bytes(vectorBody), { ...vectorHeaders, 'x-slack-signature': '' }, vectorSecret, vectorNow)).toEqual(missing);
    expect(verifySlackSignature(bytes(vectorBody), { ...vectorHeaders, 'x-slack-request-timestamp': undefined }, vectorSecret, vectorNow)).toEqual(missing);
  });

  it('rejects the wrong secret, an empty secret, other versions and malformed signatures', () => {
    const bad = { ok: false, reason: 'bad_signature' };
    const verify = (signature: string, key = vectorSecret) =>
      verifySlackSignature(bytes(vectorBody), { ...vectorHeaders, 'x-slack-signature': signature }, key, vectorNow);
    expect(verify(vectorSignature, 'another-secret')).toEqual(bad);
    expect(verify(vectorSignature.replace('v0=', 'v1='))).toEqual(bad);
    expect(verify(vectorSignature.slice(3))).toEqual(bad);
    expect(verify(vectorSignature.slice(0, -2))).toEqual(bad);
    expect(verify('v0=')).toEqual(bad);
    expect(verify('v0=zz')).toEqual(bad);
    expect(verify(`${vectorSignature},${vectorSignature}`)).toEqual(bad);
    const signedWithEmpty = signSlackRequest(vectorBody, '', vectorNow);
    expect(verifySlackSignature(bytes(vectorBody), signedWithEmpty, '', vectorNow)).toEqual(bad);
  });

  it('verifies the raw bytes, not a re-encoding of them', () => {
    // Same form fields, different (equally valid) percent-encoding.
    const reencoded = vectorBody.replace('%2Fwebhook-collect', '%2fwebhook-collect');
    expect(verifySlackSignature(bytes(reencoded), vectorHeaders, vectorSecret, vectorNow)).toEqual({ ok: false, reason: 'bad_signature' });
  });
});

describe('verifySlackSignature properties', () => {
  const now = new Date('2025-06-01T12:00:00Z');

  it('rejects any single-byte change to a signed body', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (body, position, flip) => {
        const headers = signSlackRequest(body, secret, now);
        const changed = Uint8Array.from(body);
        const at = position % changed.length;
        changed[at] = (changed[at] ?? 0) ^ flip;
        return verifySlackSignature(body, headers, secret, now).ok && !verifySlackSignature(changed, headers, secret, now).ok;
      }),
    );
  });

  it('rejects the same signature under any different timestamp, in or out of the window', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.integer({ min: -1_000, max: 1_000 }).filter((d) => d !== 0),
        (body, delta) => {
          const headers = signSlackRequest(body, secret, now);
          const timestamp = String(Number(headers['x-slack-request-timestamp']) + delta);
          const moved = { ...headers, 'x-slack-request-timestamp': timestamp };
          const result = verifySlackSignature(body, moved, secret, now);
          return !result.ok && (result.reason === 'bad_signature' || result.reason === 'stale_timestamp');
        },
      ),
    );
  });
});

function payloadErrorOf(body: string): string {
  try {
    parseSlackInteraction(body);
  } catch (error) {
    expect(error).toBeInstanceOf(SlackPayloadError);
    expect((error as Error).name).toBe('SlackPayloadError');
    return (error as Error).message;
  }
  throw new Error('expected SlackPayloadError');
}

const form = (payload: unknown) => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
/** The payload JSON inside a builder's form body, for mutating one field at a time. */
const payloadOf = (body: string): Record<string, unknown> => JSON.parse(new URLSearchParams(body).get('payload') ?? 'null') as Record<string, unknown>;

describe('parseSlackInteraction: block_actions', () => {
  const now = new Date('2025-06-01T12:00:00.123Z');
  const body = buildBlockActionsBody({
    userId: 'U024BE7LH',
    userName: 'alice',
    teamId: 'T9TK3CUKW',
    actionId: 'approval.approve',
    value: 'req_01HXYZ:v3',
    channelId: 'C0123ABCD',
    messageTs: '1717243200.000100',
    triggerId: '12345.98765.abcd2358fdea',
    responseUrl: 'https://hooks.slack.com/actions/T9TK3CUKW/1/abc',
    now,
  });

  it('round-trips every field through the builder', () => {
    expect(parseSlackInteraction(body)).toEqual({
      type: 'block_actions',
      userId: 'U024BE7LH',
      userName: 'alice',
      teamId: 'T9TK3CUKW',
      actionId: 'approval.approve',
      value: 'req_01HXYZ:v3',
      triggerId: '12345.98765.abcd2358fdea',
      responseUrl: 'https://hooks.slack.com/actions/T9TK3CUKW/1/abc',
      channelId: 'C0123ABCD',
      messageTs: '1717243200.000100',
    });
  });

  it('parses the same body from bytes', () => {
    expect(parseSlackInteraction(bytes(body))).toEqual(parseSlackInteraction(body));
  });

  it('builds Slack’s documented shape', () => {
    const payload = payloadOf(body);
    expect(payload).toMatchObject({
      type: 'block_actions',
      user: { id: 'U024BE7LH', username: 'alice', name: 'alice', team_id: 'T9TK3CUKW' },
      container: { type: 'message', message_ts: '1717243200.000100', channel_id: 'C0123ABCD' },
      team: { id: 'T9TK3CUKW' },
      channel: { id: 'C0123ABCD' },
      message: { ts: '1717243200.000100' },
      actions: [{ action_id: 'approval.approve', value: 'req_01HXYZ:v3', type: 'button', action_ts: '1748779200.123000' }],
    });
    expect(typeof payload.api_app_id).toBe('string');
    expect(String(payload.token)).toMatch(/fake/i);
    expect(body.startsWith('payload=')).toBe(true);
  });

  it('round-trips arbitrary values and defaults', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.string({ maxLength: MAX_ACTION_VALUE_LENGTH }),
        fc.string({ minLength: 1, maxLength: 60 }),
        (actionId, value, userId) => {
          const parsed = parseSlackInteraction(buildBlockActionsBody({ userId, actionId, value }));
          return parsed.type === 'block_actions' && parsed.actionId === actionId && parsed.value === value && parsed.userId === userId;
        },
      ),
    );
  });

  it('falls back to user.name, user.team_id, container.channel_id and message.ts, and takes the first action', () => {
    const payload = payloadOf(body);
    const parsed = parseSlackInteraction(
      form({
        ...payload,
        user: { id: 'U1', name: 'bob', team_id: 'T2' },
        team: null,
        channel: undefined,
        container: { type: 'message', channel_id: 'C9' },
        message: { ts: '111.222' },
        response_url: undefined,
        actions: [
          { action_id: 'first', value: 'one' },
          { action_id: 'second', value: 'two' },
        ],
      }),
    );
    expect(parsed).toEqual({
      type: 'block_actions',
      userId: 'U1',
      userName: 'bob',
      teamId: 'T2',
      actionId: 'first',
      value: 'one',
      triggerId: '12345.98765.abcd2358fdea',
      channelId: 'C9',
      messageTs: '111.222',
    });
  });

  it('names the offending field of a malformed click', () => {
    const payload = payloadOf(body);
    const cases: [unknown, RegExp][] = [
      [{ ...payload, actions: undefined }, /^payload\.actions: required$/],
      [{ ...payload, actions: [] }, /^payload\.actions: /],
      [{ ...payload, actions: 'approve' }, /^payload\.actions: /],
      [{ ...payload, actions: [{ value: 'x' }] }, /^payload\.actions\.0\.action_id: required$/],
      [{ ...payload, actions: [{ action_id: 'a' }] }, /^payload\.actions\.0\.value: required$/],
      [{ ...payload, actions: [{ action_id: 'a', value: 'v'.repeat(MAX_ACTION_VALUE_LENGTH + 1) }] }, /^payload\.actions\.0\.value: /],
      [{ ...payload, user: undefined }, /^payload\.user: required$/],
      [{ ...payload, user: { name: 'x' } }, /^payload\.user\.id: required$/],
      [{ ...payload, user: { id: '' } }, /^payload\.user\.id: /],
      [{ ...payload, trigger_id: undefined }, /^payload\.trigger_id: required$/],
      [{ ...payload, trigger_id: 42 }, /^payload\.trigger_id: /],
      [{ ...payload, response_url: 'javascript:alert(1)' }, /^payload\.response_url: /],
      [{ ...payload, channel: { id: 7 } }, /^payload\.channel\.id: /],
    ];
    for (const [bad, message] of cases) expect(payloadErrorOf(form(bad))).toMatch(message);
  });
});

describe('parseSlackInteraction: view_submission', () => {
  const body = buildViewSubmissionBody({
    userId: 'U024BE7LH',
    userName: 'alice',
    callbackId: 'approval_reject_reason',
    privateMetadata: '{"requestId":"req_01HXYZ"}',
    values: { reason_block: { reason: 'Budget not approved this quarter.' }, note_block: { note: null } },
    triggerId: '12345.98765.abcd2358fdea',
  });

  it('round-trips through the builder, flattening values both ways', () => {
    expect(parseSlackInteraction(body)).toEqual({
      type: 'view_submission',
      userId: 'U024BE7LH',
      callbackId: 'approval_reject_reason',
      privateMetadata: '{"requestId":"req_01HXYZ"}',
      values: { 'reason_block.reason': 'Budget not approved this quarter.', reason: 'Budget not approved this quarter.' },
      triggerId: '12345.98765.abcd2358fdea',
    });
  });

  it('builds Slack’s documented shape', () => {
    expect(payloadOf(body)).toMatchObject({
      type: 'view_submission',
      user: { id: 'U024BE7LH', username: 'alice' },
      view: {
        callback_id: 'approval_reject_reason',
        private_metadata: '{"requestId":"req_01HXYZ"}',
        state: { values: { reason_block: { reason: { type: 'plain_text_input', value: 'Budget not approved this quarter.' } } } },
      },
    });
    expect(String(payloadOf(body).token)).toMatch(/fake/i);
  });

  it('round-trips arbitrary reasons and metadata', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: MAX_INPUT_VALUE_LENGTH }), fc.string({ maxLength: 300 }), (reason, metadata) => {
        const parsed = parseSlackInteraction(buildViewSubmissionBody({ userId: 'U1', callbackId: 'cb', privateMetadata: metadata, values: { b: { reason } } }));
        return (
          parsed.type === 'view_submission' && parsed.values['b.reason'] === reason && parsed.values.reason === reason && parsed.privateMetadata === metadata
        );
      }),
    );
  });

  it('drops a bare action id that is used in more than one block, keeping the qualified keys', () => {
    const parsed = parseSlackInteraction(
      buildViewSubmissionBody({ userId: 'U1', callbackId: 'cb', values: { a: { text: 'one' }, b: { text: 'two' }, c: { only: 'three' } } }),
    );
    expect(parsed).toMatchObject({ values: { 'a.text': 'one', 'b.text': 'two', 'c.only': 'three', only: 'three' } });
    expect(parsed.type === 'view_submission' && 'text' in parsed.values).toBe(false);
  });

  it('keeps a hostile key as plain data', () => {
    const payload = payloadOf(buildViewSubmissionBody({ userId: 'U1', callbackId: 'cb', values: {} }));
    const view = payload.view as Record<string, unknown>;
    const raw = `payload=${encodeURIComponent(
      JSON.stringify({ ...payload, view: { ...view, state: { values: {} } } }).replace('"values":{}', '"values":{"constructor":{"__proto__":{"value":"x"}}}'),
    )}`;
    const parsed = parseSlackInteraction(raw);
    expect(parsed.type === 'view_submission' && Object.getPrototypeOf(parsed.values)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).value).toBeUndefined();
  });

  it('names the offending field of a malformed submission', () => {
    const payload = payloadOf(body);
    const view = payload.view as Record<string, unknown>;
    const cases: [unknown, RegExp][] = [
      [{ ...payload, view: undefined }, /^payload\.view: required$/],
      [{ ...payload, view: { ...view, callback_id: undefined } }, /^payload\.view\.callback_id: required$/],
      [{ ...payload, view: { ...view, state: undefined } }, /^payload\.view\.state: required$/],
      [{ ...payload, view: { ...view, state: { values: [] } } }, /^payload\.view\.state\.values: /],
      [{ ...payload, view: { ...view, private_metadata: 'm'.repeat(3001) } }, /^payload\.view\.private_metadata: /],
      [
        { ...payload, view: { ...view, state: { values: { b: { reason: { value: 'r'.repeat(MAX_INPUT_VALUE_LENGTH + 1) } } } } } },
        /^payload\.view\.state\.values\.b\.reason\.value: /,
      ],
      [{ ...payload, view: { ...view, state: { values: { b: { reason: { value: 5 } } } } } }, /^payload\.view\.state\.values\.b\.reason\.value: /],
      [{ ...payload, user: { id: 5 } }, /^payload\.user\.id: /],
    ];
    for (const [bad, message] of cases) expect(payloadErrorOf(form(bad))).toMatch(message);
  });
});

describe('parseSlackInteraction: envelope errors', () => {
  it('names each envelope problem', () => {
    expect(payloadErrorOf('')).toBe('payload: missing');
    expect(payloadErrorOf('token=abc&payload=')).toBe('payload: missing');
    expect(payloadErrorOf('payload=%7Bnot-json')).toBe('payload: not JSON');
    expect(payloadErrorOf(`${form({ type: 'block_actions' })}&${form({ type: 'block_actions' })}`)).toBe('payload: repeated');
    expect(payloadErrorOf(form({ type: 'shortcut', callback_id: 'x' }))).toBe('payload.type: unsupported "shortcut"');
    expect(payloadErrorOf(form({ type: 'x'.repeat(500) }))).toBe(`payload.type: unsupported "${'x'.repeat(64)}"`);
    expect(payloadErrorOf(form({ user: { id: 'U1' } }))).toBe('payload.type: required');
    expect(payloadErrorOf(form(null))).toMatch(/^payload: /);
    expect(payloadErrorOf(form([1, 2]))).toMatch(/^payload: /);
    expect(payloadErrorOf(`payload=${'a'.repeat(1_000_001)}`)).toMatch(/^body: larger than/);
  });

  it('rejects a body that is not UTF-8', () => {
    expect(() => parseSlackInteraction(Uint8Array.from([0x70, 0x61, 0xff, 0xfe]))).toThrow('body: not UTF-8');
  });

  it('throws only SlackPayloadError for arbitrary input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json().map((json) => `payload=${encodeURIComponent(json)}`),
        ),
        (raw) => {
          try {
            parseSlackInteraction(raw);
            return true;
          } catch (error) {
            return error instanceof SlackPayloadError;
          }
        },
      ),
    );
  });
});
