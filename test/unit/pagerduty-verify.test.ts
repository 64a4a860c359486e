import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { assertSingleByteChangesFail } from '../support/source-contract';
import { signPagerDutyBody, verifyPagerDutySignature } from '../../functions/sources/pagerduty/verify';

const secret = 'fake-pagerduty-secret-for-tests';
const body = Buffer.from('{"event":{"id":"01ABC","event_type":"incident.triggered"}}');
// Computed independently of the module under test, straight from PagerDuty's documented scheme.
const expected = `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('verifyPagerDutySignature', () => {
  it('accepts the documented v1 HMAC-SHA256 of the raw body', () => {
    expect(verifyPagerDutySignature(body, { 'x-pagerduty-signature': expected }, secret)).toBe(true);
  });

  it('accepts any matching value during secret rotation, in either position', () => {
    const other = signPagerDutyBody(body, ['old-rotated-out-secret']);
    expect(verifyPagerDutySignature(body, { 'x-pagerduty-signature': `${other},${expected}` }, secret)).toBe(true);
    expect(verifyPagerDutySignature(body, { 'x-pagerduty-signature': `${expected}, ${other}` }, secret)).toBe(true);
  });

  it('rejects a body changed by a single byte', () => {
    const tampered = Buffer.from(body);
    const at = tampered.length - 3;
    tampered.writeUInt8(tampered.readUInt8(at) ^ 1, at);
    expect(verifyPagerDutySignature(tampered, { 'x-pagerduty-signature': expected }, secret)).toBe(false);
  });

  it('rejects a body re-serialised with different whitespace', () => {
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 1));
    expect(verifyPagerDutySignature(reserialised, { 'x-pagerduty-signature': expected }, secret)).toBe(false);
  });

  it('rejects the wrong secret, a missing header, other schemes and malformed values', () => {
    expect(verifyPagerDutySignature(body, { 'x-pagerduty-signature': expected }, 'another-secret')).toBe(false);
    expect(verifyPagerDutySignature(body, {}, secret)).toBe(false);
    expect(verifyPagerDutySignature(body, { 'x-pagerduty-signature': expected.replace('v1=', 'v2=') }, secret)).toBe(false);
    expect(verifyPagerDutySignature(body, { 'x-pagerduty-signature': 'v1=zz' }, secret)).toBe(false);
    expect(verifyPagerDutySignature(body, { 'x-pagerduty-signature': expected.slice(0, -2) }, secret)).toBe(false);
    expect(verifyPagerDutySignature(body, { 'x-pagerduty-signature': 'v1=' }, secret)).toBe(false);
  });

  it('never accepts an empty secret', () => {
    const signedWithEmpty = `v1=${createHmac('sha256', '').update(body).digest('hex')}`;
    expect(verifyPagerDutySignature(body, { 'x-pagerduty-signature': signedWithEmpty }, '')).toBe(false);
  });
});

describe('verifyPagerDutySignature properties', () => {
  it('rejects any single-byte modification of a signed body', () => {
    assertSingleByteChangesFail(
      (bytes) => ({ 'x-pagerduty-signature': signPagerDutyBody(bytes, [secret]) }),
      (bytes, headers) => verifyPagerDutySignature(bytes, headers, secret),
    );
  });
});
