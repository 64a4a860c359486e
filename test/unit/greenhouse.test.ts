import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertSingleByteChangesFail, keepsNormalizeContract, normalizedEvents, rejectionOf } from '../support/source-contract';
import { greenhouseSource } from '../../functions/sources/greenhouse';
import { greenhouseActionTypes, normalizeGreenhouseEvent } from '../../functions/sources/greenhouse/normalize';
import { signGreenhouseBody, verifyGreenhouseSignature } from '../../functions/sources/greenhouse/verify';

const raw = (name: string) => readFileSync(new URL(`../fixtures/greenhouse/${name}.json`, import.meta.url), 'utf8');
const fixture = (name: string) => JSON.parse(raw(name));
const fixtureNames = ['candidate-stage-change', 'offer-created', 'offer-approved', 'hire-candidate', 'reject-candidate'];

/** Email, phone, postal address and social/website values planted in the fixtures. */
const personalValues = [
  'marisol.fake@example.net',
  '415-555-0173',
  '415 555 0173',
  '742 Evergreen Terrace',
  'marisol-portfolio.example.org',
  'linkedin.example.com',
  'devon.r@acme-corp.example',
  'priya.m@acme-corp.example',
  'files.example.net',
];

const eventsOf = (payload: unknown, deliveryId = 'gh-delivery-1') => normalizedEvents(normalizeGreenhouseEvent, payload, deliveryId);

const errorOf = (payload: unknown) => rejectionOf(normalizeGreenhouseEvent, payload);

describe('Greenhouse signature', () => {
  const secret = 'fake-greenhouse-secret-for-tests';
  const body = Buffer.from(raw('candidate-stage-change'));
  // Computed independently from Greenhouse's documented scheme: `sha256 <hex>` with a space.
  const expected = `sha256 ${createHmac('sha256', secret).update(body).digest('hex')}`;

  it('accepts the documented header and matches signGreenhouseBody', () => {
    expect(signGreenhouseBody(body, secret)).toBe(expected);
    expect(verifyGreenhouseSignature(body, { signature: expected }, secret)).toBe(true);
    expect(greenhouseSource.verify(body, { signature: expected }, secret, new Date())).toBe(true);
  });

  it('rejects the `sha256=` form, tampering, the wrong secret and malformed headers', () => {
    expect(verifyGreenhouseSignature(body, { signature: expected.replace(' ', '=') }, secret)).toBe(false);
    const tampered = Buffer.from(body);
    tampered.writeUInt8(tampered.readUInt8(10) ^ 1, 10);
    expect(verifyGreenhouseSignature(tampered, { signature: expected }, secret)).toBe(false);
    expect(verifyGreenhouseSignature(body, { signature: expected }, 'another-secret')).toBe(false);
    expect(verifyGreenhouseSignature(body, {}, secret)).toBe(false);
    expect(verifyGreenhouseSignature(body, { signature: 'sha256 ' }, secret)).toBe(false);
    expect(verifyGreenhouseSignature(body, { signature: 'sha256 zz' }, secret)).toBe(false);
    expect(verifyGreenhouseSignature(body, { signature: expected.slice(0, -2) }, secret)).toBe(false);
    expect(verifyGreenhouseSignature(body, { signature: expected.replace('sha256', 'sha1') }, secret)).toBe(false);
    const signedWithEmpty = `sha256 ${createHmac('sha256', '').update(body).digest('hex')}`;
    expect(verifyGreenhouseSignature(body, { signature: signedWithEmpty }, '')).toBe(false);
  });

  it('property: any single-byte modification of a signed body fails verification', () => {
    assertSingleByteChangesFail(
      (bytes) => ({ signature: signGreenhouseBody(bytes, secret) }),
      (bytes, headers) => verifyGreenhouseSignature(bytes, headers, secret),
    );
  });
});

describe('greenhouseSource', () => {
  it('takes the delivery id from Greenhouse-Event-ID and strips personal data for storage', () => {
    expect(greenhouseSource.name).toBe('greenhouse');
    expect(greenhouseSource.secretName).toBe('GREENHOUSE_WEBHOOK_SECRET');
    expect(greenhouseSource.deliveryId({ 'greenhouse-event-id': '3ce5180d' }, {})).toBe('3ce5180d');
    expect(greenhouseSource.deliveryId({}, {})).toBeUndefined();
    const stored = JSON.stringify(greenhouseSource.redactForStorage?.(fixture('candidate-stage-change')));
    expect(stored).toContain('Onsite Interview');
    expect(stored).toContain('"updated_at":"2026-11-20T16:40:02.000Z"');
    expect(stored).toContain('call me on [phone removed]');
  });
});

describe('normalizeGreenhouseEvent', () => {
  it('maps candidate_stage_change with names only and no previous stage', () => {
    const [event] = eventsOf(fixture('candidate-stage-change'));
    expect(event).toEqual({
      id: 'greenhouse:gh-delivery-1',
      source: 'greenhouse',
      type: 'candidate.stage_changed',
      occurredAt: '2026-11-20T16:40:02.000Z',
      deliveryId: 'gh-delivery-1',
      subject: {
        kind: 'application',
        id: 'greenhouse:69306314',
        title: 'Marisol Quintero-Fake · Staff Platform Engineer',
        url: 'https://app.greenhouse.io/people/57683957?application_id=69306314',
      },
      actors: [
        { role: 'recruiter', name: 'Devon Recruitwell' },
        { role: 'hiring_manager', name: 'Priya Manageros' },
      ],
      links: [{ label: 'Greenhouse application', url: 'https://app.greenhouse.io/people/57683957?application_id=69306314' }],
      facts: {
        applicationId: '69306314',
        candidateId: '57683957',
        job: 'Staff Platform Engineer',
        jobId: '107761',
        department: 'Platform Engineering',
        toStage: 'Onsite Interview',
        fromStage: null,
        recruiter: 'Devon Recruitwell',
        hiringManager: 'Priya Manageros',
      },
    });
  });

  it('maps offer_created (offer as payload) and offer_approved (payload.offer) to candidate.offer_created', () => {
    const [created] = eventsOf(fixture('offer-created'));
    expect(created).toMatchObject({
      type: 'candidate.offer_created',
      occurredAt: '2026-11-21T11:00:00.000Z',
      subject: { id: 'greenhouse:69306314', title: 'Marisol Quintero-Fake · Staff Platform Engineer' },
      facts: { offerStatus: 'created', applicationId: '69306314', jobId: '107761', job: 'Staff Platform Engineer' },
    });
    const [approved] = eventsOf(fixture('offer-approved'));
    expect(approved).toMatchObject({
      type: 'candidate.offer_created',
      occurredAt: '2026-11-22T09:30:00.000Z',
      facts: { offerStatus: 'approved', toStage: 'Onsite Interview', recruiter: 'Devon Recruitwell' },
    });
  });

  it('maps hire_candidate and reject_candidate (with the rejection reason)', () => {
    const [hired] = eventsOf(fixture('hire-candidate'));
    expect(hired).toMatchObject({ type: 'candidate.hired', occurredAt: '2026-11-23T10:00:00.000Z', facts: { toStage: 'Offer' } });
    expect(hired?.facts).not.toHaveProperty('rejectionReason');
    const [rejected] = eventsOf(fixture('reject-candidate'));
    expect(rejected).toMatchObject({
      type: 'candidate.rejected',
      facts: { rejectionReason: 'Lacking skill(s)/qualification(s)' },
    });
  });

  it('ignores ping and unknown actions with a reason', () => {
    expect(normalizeGreenhouseEvent(fixture('ping'), 'd')).toEqual({ ignored: true, reason: expect.stringContaining('ping') });
    expect(normalizeGreenhouseEvent({ action: 'job_created', payload: {} }, 'd')).toMatchObject({ ignored: true });
    expect(Object.keys(greenhouseActionTypes)).toHaveLength(5);
  });

  it('falls back to the epoch when the payload has no usable timestamp, and drops non-Greenhouse URLs', () => {
    const [event] = eventsOf({
      action: 'hire_candidate',
      payload: { application: { id: 5, updated_at: 'not a date', candidate: { first_name: 'A', url: 'https://evil.example/x' } } },
    });
    expect(event?.occurredAt).toBe('1970-01-01T00:00:00.000Z');
    expect(event?.subject).toEqual({ kind: 'application', id: 'greenhouse:5', title: 'A' });
    expect(event?.links).toEqual([]);
  });

  it('names the offending field when types are wrong', () => {
    expect(errorOf({ payload: {} })).toMatch(/^action: /);
    expect(errorOf({ action: 'candidate_stage_change', payload: {} })).toMatch(/^payload\.application: required/);
    expect(errorOf({ action: 'candidate_stage_change', payload: { application: { id: true } } })).toMatch(/^payload\.application\.id: /);
    expect(errorOf({ action: 'reject_candidate', payload: { application: { id: 1, current_stage: { name: 7 } } } })).toMatch(
      /^payload\.application\.current_stage\.name: /,
    );
    expect(errorOf({ action: 'offer_created', payload: { id: 1 } })).toMatch(/^payload\.application_id: /);
    expect(errorOf({ action: 'offer_created', payload: { application_id: 1, offer_status: 3 } })).toMatch(/^payload\.offer_status: /);
    expect(errorOf({ action: 'offer_approved', payload: { offer: 'x' } })).toMatch(/^payload\.offer: /);
    expect(errorOf('nope')).toMatch(/invalid|expected/i);
  });

  it('never copies candidate email, phone, address or social/website links into events or stored payloads', () => {
    for (const name of fixtureNames) {
      const payload = fixture(name);
      const rawText = raw(name);
      // The fixture really does contain the values, so the assertions below mean something.
      expect(personalValues.some((value) => rawText.includes(value))).toBe(true);
      const serialised = [JSON.stringify(eventsOf(payload)), JSON.stringify(greenhouseSource.redactForStorage?.(payload))];
      for (const text of serialised) for (const value of personalValues) expect(text).not.toContain(value);
    }
  });
});

describe('normalizeGreenhouseEvent properties', () => {
  const holds = keepsNormalizeContract(normalizeGreenhouseEvent);

  it('arbitrary JSON only ever throws PayloadInvalidError or yields valid canonical events', () => {
    fc.assert(fc.property(fc.jsonValue(), holds), { numRuns: 300 });
    fc.assert(fc.property(fc.string(), holds), { numRuns: 100 });
  });

  it('vendor-shaped payloads with arbitrary field values keep the same contract', () => {
    const value = fc.oneof(fc.string({ maxLength: 400 }), fc.integer(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));
    const person = fc.record({ first_name: value, last_name: value, name: value }, { requiredKeys: [] });
    const job = fc.record(
      {
        id: value,
        name: value,
        departments: fc.array(fc.record({ name: value }, { requiredKeys: [] })),
        hiring_team: fc.record({ recruiters: fc.array(person), hiring_managers: fc.array(person) }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    );
    const application = fc.record(
      {
        id: fc.oneof(fc.nat(), fc.string({ maxLength: 120 }), value),
        url: fc.oneof(fc.webUrl(), value),
        updated_at: fc.oneof(
          fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
          value,
        ),
        current_stage: fc.record({ name: value }, { requiredKeys: [] }),
        rejection_reason: fc.record({ name: value }, { requiredKeys: [] }),
        jobs: fc.array(job, { maxLength: 2 }),
        candidate: fc.record({ id: value, first_name: value, last_name: value, url: value, recruiter: person }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    );
    const payload = fc.record({
      action: fc.constantFrom(...Object.keys(greenhouseActionTypes), 'ping', 'candidate_deleted'),
      payload: fc.record(
        { application, offer: fc.record({ application_id: value, updated_at: value }, { requiredKeys: [] }), application_id: value, job },
        { requiredKeys: [] },
      ),
    });
    fc.assert(fc.property(payload, holds), { numRuns: 500 });
  });
});
