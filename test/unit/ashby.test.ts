import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertSingleByteChangesFail, keepsNormalizeContract, normalizedEvents, rejectionOf } from '../support/source-contract';
import { ashbySource } from '../../functions/sources/ashby';
import { ashbyActionTypes, ashbyDeliveryId, normalizeAshbyEvent } from '../../functions/sources/ashby/normalize';
import { signAshbyBody, verifyAshbySignature } from '../../functions/sources/ashby/verify';

const raw = (name: string) => readFileSync(new URL(`../fixtures/ashby/${name}.json`, import.meta.url), 'utf8');
const fixture = (name: string) => JSON.parse(raw(name));
const fixtureNames = ['candidate-stage-change', 'application-update-stage', 'candidate-hire', 'offer-create'];
const applicationId = 'a1d3e5f7-0000-4c4c-8a8a-1234567890ab';

/** Email, phone, postal address and social values planted in the fixtures. */
const personalValues = [
  'tobias.fake@example.com',
  't.nakamura@oldjob.example',
  '+44 20 7946 0958',
  '7946 0958',
  '12 Fakestone Mews',
  'linkedin.example.com',
  'github.example.com',
  'ines.t@acme-corp.example',
  'omar.h@acme-corp.example',
];

const eventsOf = (payload: unknown, deliveryId = 'wa-1:candidateStageChange') => normalizedEvents(normalizeAshbyEvent, payload, deliveryId);

const errorOf = (payload: unknown) => rejectionOf(normalizeAshbyEvent, payload);

describe('Ashby signature', () => {
  const secret = 'fake-ashby-secret-for-tests';
  const body = Buffer.from(raw('candidate-stage-change'));
  // Computed independently from Ashby's documented scheme: `sha256=<hex>` of the raw body.
  const expected = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

  it('accepts the documented header and matches signAshbyBody', () => {
    expect(signAshbyBody(body, secret)).toBe(expected);
    expect(verifyAshbySignature(body, { 'ashby-signature': expected }, secret)).toBe(true);
    expect(ashbySource.verify(body, { 'ashby-signature': expected }, secret, new Date())).toBe(true);
  });

  it('rejects tampering, the wrong secret, other formats and malformed headers', () => {
    const tampered = Buffer.from(body);
    tampered.writeUInt8(tampered.readUInt8(10) ^ 1, 10);
    expect(verifyAshbySignature(tampered, { 'ashby-signature': expected }, secret)).toBe(false);
    expect(verifyAshbySignature(body, { 'ashby-signature': expected }, 'another-secret')).toBe(false);
    expect(verifyAshbySignature(body, { 'ashby-signature': expected.replace('=', ' ') }, secret)).toBe(false);
    expect(verifyAshbySignature(body, { 'ashby-signature': expected.replace('sha256=', '') }, secret)).toBe(false);
    expect(verifyAshbySignature(body, {}, secret)).toBe(false);
    expect(verifyAshbySignature(body, { 'ashby-signature': 'sha256=' }, secret)).toBe(false);
    expect(verifyAshbySignature(body, { 'ashby-signature': 'sha256=zz' }, secret)).toBe(false);
    expect(verifyAshbySignature(body, { 'ashby-signature': expected.slice(0, -2) }, secret)).toBe(false);
    const signedWithEmpty = `sha256=${createHmac('sha256', '').update(body).digest('hex')}`;
    expect(verifyAshbySignature(body, { 'ashby-signature': signedWithEmpty }, '')).toBe(false);
  });

  it('property: any single-byte modification of a signed body fails verification', () => {
    assertSingleByteChangesFail(
      (bytes) => ({ 'ashby-signature': signAshbyBody(bytes, secret) }),
      (bytes, headers) => verifyAshbySignature(bytes, headers, secret),
    );
  });
});

describe('ashbySource', () => {
  it('identifies a delivery by webhookActionId plus action, from the payload', () => {
    expect(ashbySource.name).toBe('ashby');
    expect(ashbySource.secretName).toBe('ASHBY_WEBHOOK_SECRET');
    expect(ashbySource.deliveryId({}, fixture('candidate-stage-change'))).toBe('wa-7f3e9c1b-stage:candidateStageChange');
    // Related webhooks of one user action share the action id but are distinct deliveries.
    expect(ashbySource.deliveryId({}, fixture('application-update-stage'))).toBe('wa-7f3e9c1b-stage:applicationUpdate');
    expect(ashbySource.deliveryId({}, fixture('ping'))).toBe('ping');
    expect(ashbyDeliveryId({ action: 'candidateHire' })).toBeUndefined();
    expect(ashbyDeliveryId(null)).toBeUndefined();
    expect(ashbyDeliveryId([1])).toBeUndefined();
    expect(ashbyDeliveryId({ action: 'x', webhookActionId: 'y'.repeat(300) })).toBeUndefined();
  });
});

describe('normalizeAshbyEvent', () => {
  it('maps candidateStageChange to candidate.stage_changed', () => {
    const [event] = eventsOf(fixture('candidate-stage-change'));
    expect(event).toEqual({
      id: 'ashby:wa-1:candidateStageChange',
      source: 'ashby',
      type: 'candidate.stage_changed',
      occurredAt: '2026-11-21T09:15:47.120Z',
      deliveryId: 'wa-1:candidateStageChange',
      subject: {
        kind: 'application',
        id: `ashby:${applicationId}`,
        title: 'Tobias Nakamura-Fake · Engineering Manager, Payments',
        url: 'https://app.ashbyhq.com/candidates/f0c2b9a4-3a51-4d0e-9a51-6b1c0d2e7a11',
      },
      actors: [
        { role: 'recruiter', name: 'Ines Talentova' },
        { role: 'hiring_manager', name: 'Omar Headley' },
      ],
      links: [{ label: 'Ashby candidate', url: 'https://app.ashbyhq.com/candidates/f0c2b9a4-3a51-4d0e-9a51-6b1c0d2e7a11' }],
      facts: {
        applicationId,
        candidateId: 'f0c2b9a4-3a51-4d0e-9a51-6b1c0d2e7a11',
        job: 'Engineering Manager, Payments',
        jobId: 'b7e1c3d5-1111-4e4e-9b9b-abcdefabcdef',
        department: 'Payments',
        toStage: 'Onsite',
        fromStage: null,
        recruiter: 'Ines Talentova',
        hiringManager: 'Omar Headley',
      },
    });
  });

  it('maps an applicationUpdate carrying a stage move (with fromStage), and ignores other applicationUpdates', () => {
    const [event] = eventsOf(fixture('application-update-stage'), 'wa-7f3e9c1b-stage:applicationUpdate');
    expect(event).toMatchObject({ type: 'candidate.stage_changed', facts: { fromStage: 'Phone Screen', toStage: 'Onsite' } });
    expect(normalizeAshbyEvent(fixture('application-update-fields'), 'd')).toMatchObject({ ignored: true });
  });

  it('maps offerCreate (offer only, no application object) and candidateHire', () => {
    const [offer] = eventsOf(fixture('offer-create'), 'wa-5c2a-offer:offerCreate');
    expect(offer).toMatchObject({
      id: 'ashby:wa-5c2a-offer:offerCreate',
      type: 'candidate.offer_created',
      occurredAt: '2026-11-22T16:20:00.000Z',
      subject: { kind: 'application', id: `ashby:${applicationId}`, title: `Ashby application ${applicationId}` },
      facts: { applicationId, offerStatus: 'created', toStage: null, fromStage: null },
    });
    const [hired] = eventsOf(fixture('candidate-hire'), 'wa-90d1-hire:candidateHire');
    expect(hired).toMatchObject({ type: 'candidate.hired', occurredAt: '2026-11-23T08:00:00.000Z', facts: { toStage: 'Hired' } });
  });

  it('ignores ping and unknown actions with a reason', () => {
    expect(normalizeAshbyEvent(fixture('ping'), 'ping')).toEqual({ ignored: true, reason: expect.stringContaining('ping') });
    expect(normalizeAshbyEvent({ action: 'jobCreate', data: {} }, 'd')).toMatchObject({ ignored: true });
    expect(Object.keys(ashbyActionTypes)).toEqual(['candidateStageChange', 'applicationUpdate', 'offerCreate', 'candidateHire']);
  });

  it('uses the epoch without a usable timestamp, and keeps rejection reasons and only Ashby URLs', () => {
    const [event] = eventsOf({
      action: 'candidateHire',
      data: {
        application: {
          id: 'app-1',
          updatedAt: 'yesterday',
          archiveReason: { text: 'Withdrew' },
          candidate: { name: 'Ana', profileUrl: 'https://social.example/ana' },
        },
      },
    });
    expect(event?.occurredAt).toBe('1970-01-01T00:00:00.000Z');
    expect(event?.subject).toEqual({ kind: 'application', id: 'ashby:app-1', title: 'Ana' });
    expect(event?.facts.rejectionReason).toBe('Withdrew');
    expect(event?.links).toEqual([]);
  });

  it('names the offending field when types are wrong', () => {
    expect(errorOf({ data: {} })).toMatch(/^action: /);
    expect(errorOf({ action: 'candidateHire', data: {} })).toMatch(/^data\.application: required/);
    expect(errorOf({ action: 'candidateHire', data: { application: { id: 5 } } })).toMatch(/^data\.application\.id: /);
    expect(errorOf({ action: 'candidateStageChange', data: { application: { id: 'a', currentInterviewStage: { title: 1 } } } })).toMatch(
      /^data\.application\.currentInterviewStage\.title: /,
    );
    expect(errorOf({ action: 'offerCreate', data: {} })).toMatch(/^data\.offer: required/);
    expect(errorOf({ action: 'offerCreate', data: { offer: { id: 'o' } } })).toMatch(/^data\.offer\.applicationId: /);
    expect(errorOf({ action: 'offerCreate', data: { offer: { applicationId: 3 } } })).toMatch(/^data\.offer\.applicationId: /);
    expect(errorOf({ action: 'candidateHire', data: 'x' })).toMatch(/^data: /);
  });

  it('never copies candidate email, phone, address or social links into events or stored payloads', () => {
    for (const name of fixtureNames) {
      const payload = fixture(name);
      expect(personalValues.some((value) => raw(name).includes(value))).toBe(true);
      const serialised = [JSON.stringify(eventsOf(payload)), JSON.stringify(ashbySource.redactForStorage?.(payload))];
      for (const text of serialised) for (const value of personalValues) expect(text).not.toContain(value);
    }
    const stored = JSON.stringify(ashbySource.redactForStorage?.(fixture('candidate-hire')));
    expect(stored).toContain('Tobias Nakamura-Fake');
    expect(stored).toContain(`"id":"${applicationId}"`);
    expect(stored).toContain('"updatedAt":"2026-11-23T08:00:00.000Z"');
  });
});

describe('normalizeAshbyEvent properties', () => {
  const holds = keepsNormalizeContract(normalizeAshbyEvent, 'prop:delivery');

  it('arbitrary JSON only ever throws PayloadInvalidError or yields valid canonical events', () => {
    fc.assert(fc.property(fc.jsonValue(), holds), { numRuns: 300 });
    fc.assert(fc.property(fc.string(), holds), { numRuns: 100 });
  });

  it('vendor-shaped payloads with arbitrary field values keep the same contract', () => {
    const value = fc.oneof(fc.string({ maxLength: 400 }), fc.integer(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));
    const stage = fc.record({ title: value }, { requiredKeys: [] });
    const application = fc.record(
      {
        id: fc.oneof(fc.string({ minLength: 1, maxLength: 120 }), value),
        updatedAt: fc.oneof(
          fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
          value,
        ),
        currentInterviewStage: stage,
        previousInterviewStage: stage,
        job: fc.record({ id: value, title: value, departmentName: value }, { requiredKeys: [] }),
        hiringTeam: fc.array(fc.record({ firstName: value, lastName: value, role: fc.constantFrom('Recruiter', 'Hiring Manager') }, { requiredKeys: [] }), {
          maxLength: 3,
        }),
        candidate: fc.record({ id: value, name: value, profileUrl: fc.oneof(fc.webUrl(), value) }, { requiredKeys: [] }),
        archiveReason: fc.record({ text: value }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    );
    const payload = fc.record({
      action: fc.constantFrom(...Object.keys(ashbyActionTypes), 'ping', 'jobUpdate'),
      webhookActionId: value,
      data: fc.record(
        {
          application,
          offer: fc.record({ applicationId: value, latestVersion: fc.record({ createdAt: value }, { requiredKeys: [] }) }, { requiredKeys: [] }),
          previousInterviewStage: stage,
        },
        { requiredKeys: [] },
      ),
    });
    fc.assert(fc.property(payload, holds), { numRuns: 500 });
  });
});
