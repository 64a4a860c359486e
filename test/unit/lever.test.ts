import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keepsNormalizeContract, normalizedEvents } from '../support/source-contract';
import { canonicalEventSchema } from '../../functions/core/canonical-event';
import { createLeverSource, leverSource, signLeverPayload } from '../../functions/sources/lever';
import { normalizeLeverEvent } from '../../functions/sources/lever/normalize';
import { PayloadInvalidError } from '../../functions/sources/types';

const secret = 'fake-lever-signature-token-for-tests';
const now = new Date('2025-01-01T14:20:00.000Z');
const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`../fixtures/lever/${name}.json`, import.meta.url), 'utf8'));
const bytes = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
const verify = (body: unknown, key = secret, at = now) => leverSource.verify(bytes(body), {}, key, at);

/** A fixture re-signed at `at`, with the signature computed independently of the module under test. */
function signed(name: string, at = now, key = secret): Record<string, unknown> {
  const body = fixture(name);
  const triggeredAt = at.getTime();
  const signature = createHmac('sha256', key)
    .update(`${String(body.token)}${triggeredAt}`)
    .digest('hex');
  return { ...body, triggeredAt, signature };
}

const eventsOf = (payload: unknown) => normalizedEvents(leverSource.normalize, payload, String((payload as { token?: unknown }).token));

const PERSONAL = ['@', '555 01', '555-01', 'linkedin', 'github', 'Fake Street', 'San Francisco', 'jordan.example', 'riley@'];
function expectNoPersonalData(value: unknown) {
  const text = JSON.stringify(value);
  for (const needle of PERSONAL) expect(text).not.toContain(needle);
}

describe('lever verify', () => {
  it('accepts hex(HMAC-SHA256(token + triggeredAt)) within the window', () => {
    expect(verify(signed('candidate-stage-change'))).toBe(true);
    expect(verify(signed('candidate-stage-change', new Date(now.getTime() - 4 * 60_000)))).toBe(true);
    expect(verify(signed('candidate-stage-change', new Date(now.getTime() + 4 * 60_000)))).toBe(true);
  });

  it('matches signLeverPayload, which signs a full body', () => {
    const body = signLeverPayload({ event: 'candidateHired', data: { candidateId: 'c1', opportunityId: 'o1' } }, secret, now);
    expect(body.triggeredAt).toBe(now.getTime());
    expect(body.signature).toBe(createHmac('sha256', secret).update(`${body.token}${body.triggeredAt}`).digest('hex'));
    expect(verify(body)).toBe(true);
    expect(eventsOf(body)[0]?.type).toBe('candidate.hired');
  });

  it('rejects a triggeredAt 6 minutes old or 6 minutes ahead, even when correctly signed', () => {
    expect(verify(signed('candidate-stage-change', new Date(now.getTime() - 6 * 60_000)))).toBe(false);
    expect(verify(signed('candidate-stage-change', new Date(now.getTime() + 6 * 60_000)))).toBe(false);
  });

  it('honours a configured window', () => {
    const strict = createLeverSource({ windowMs: 1000 });
    const body = bytes(signed('candidate-hired', new Date(now.getTime() - 2000)));
    expect(strict.verify(body, {}, secret, now)).toBe(false);
    expect(leverSource.verify(body, {}, secret, now)).toBe(true);
  });

  it('rejects a tampered token, triggeredAt or signature', () => {
    const body = signed('candidate-stage-change');
    expect(verify({ ...body, token: `${String(body.token)}x` })).toBe(false);
    expect(verify({ ...body, triggeredAt: now.getTime() + 1 })).toBe(false);
    expect(verify({ ...body, triggeredAt: String(now.getTime()) })).toBe(false);
    expect(verify({ ...body, signature: String(body.signature).replace(/^./, (c) => (c === '0' ? '1' : '0')) })).toBe(false);
    expect(verify({ ...body, signature: 'zz' })).toBe(false);
  });

  it('does not cover data: changing data keeps the signature valid (documented Lever behaviour)', () => {
    const body = signed('candidate-stage-change');
    expect(verify({ ...body, data: { candidateId: 'other' } })).toBe(true);
  });

  it('rejects the wrong secret, an empty secret and missing fields', () => {
    const body = signed('candidate-stage-change');
    expect(verify(body, 'another-secret')).toBe(false);
    expect(verify(signed('candidate-stage-change', now, ''), '')).toBe(false);
    for (const field of ['token', 'triggeredAt', 'signature']) {
      const { [field]: _dropped, ...rest } = body;
      expect(verify(rest)).toBe(false);
    }
  });

  it('returns false, without throwing, for bodies that are not JSON objects or not UTF-8', () => {
    expect(verify('not json')).toBe(false);
    expect(verify('')).toBe(false);
    expect(verify('null')).toBe(false);
    expect(verify('[1,2]')).toBe(false);
    expect(verify('"str"')).toBe(false);
    expect(leverSource.verify(Uint8Array.from([0x7b, 0xff, 0xfe, 0x7d]), {}, secret, now)).toBe(false);
    expect(verify(signed('candidate-hired'), secret, new Date(Number.NaN))).toBe(false);
  });

  it('never throws on arbitrary bytes, strings or JSON', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.string(), fc.integer(), (raw, key, ms) => {
        expect(typeof leverSource.verify(raw, {}, key, new Date(ms))).toBe('boolean');
      }),
    );
    fc.assert(
      fc.property(fc.string(), fc.jsonValue(), fc.string(), (text, json, key) => {
        expect(typeof leverSource.verify(bytes(text), {}, key, now)).toBe('boolean');
        expect(typeof leverSource.verify(bytes(JSON.stringify(json) ?? ''), {}, key, now)).toBe('boolean');
        const shaped = { token: text, triggeredAt: json, signature: text, data: json };
        expect(typeof leverSource.verify(bytes(shaped), {}, key, now)).toBe('boolean');
      }),
    );
  });
});

describe('lever source wiring', () => {
  it('is named lever, uses LEVER_SIGNATURE_TOKEN and de-duplicates on the body token', () => {
    expect(leverSource.name).toBe('lever');
    expect(leverSource.secretName).toBe('LEVER_SIGNATURE_TOKEN');
    const body = signed('candidate-hired');
    expect(leverSource.deliveryId({}, body)).toBe('b8e4d1c9a2f34e6b9c0d7a5e3f1b2c4d');
    // A replay carries the same token, so ingest sees the same delivery id: a duplicate.
    expect(leverSource.deliveryId({}, structuredClone(body))).toBe(leverSource.deliveryId({}, body));
    expect(leverSource.deliveryId({}, { token: '' })).toBeUndefined();
    expect(leverSource.deliveryId({}, { token: 5 })).toBeUndefined();
    expect(leverSource.deliveryId({}, null)).toBeUndefined();
    expect(leverSource.deliveryId({}, 'x')).toBeUndefined();
  });
});

describe('lever normalize', () => {
  it('maps candidateStageChange to candidate.stage_changed with stage ids and names', () => {
    const [event] = eventsOf(fixture('candidate-stage-change'));
    expect(canonicalEventSchema.parse(event)).toEqual(event);
    expect(event).toEqual({
      id: 'lever:3f1c2b7a9d5e4c8fb0a6e2d4c1b7f9a3',
      source: 'lever',
      type: 'candidate.stage_changed',
      occurredAt: '2025-01-01T14:20:00.000Z',
      deliveryId: '3f1c2b7a9d5e4c8fb0a6e2d4c1b7f9a3',
      subject: {
        kind: 'application',
        id: 'lever:7a9e2f44-0b1c-4d2e-9f3a-111111111111',
        title: 'Jordan Example (Lever opportunity 7a9e2f44-0b1c-4d2e-9f3a-111111111111)',
      },
      actors: [
        { role: 'recruiter', name: 'Riley Recruiter' },
        { role: 'hiring_manager', name: 'Harper Manager' },
      ],
      links: [],
      facts: {
        applicationId: '7a9e2f44-0b1c-4d2e-9f3a-111111111111',
        candidateId: '7a9e2f44-0b1c-4d2e-9f3a-111111111111',
        job: 'Staff Platform Engineer',
        jobId: '5c3e8a1f-aaaa-4bbb-8ccc-444444444444',
        department: 'Engineering',
        toStage: 'On-site interview',
        fromStage: 'New lead',
        recruiter: 'Riley Recruiter',
        hiringManager: 'Harper Manager',
        fromStageId: 'lead-new',
        toStageId: 'd9c1a0e2-5b6f-4c7d-8e9f-333333333333',
      },
    });
  });

  it('uses null for stage names the payload does not carry (plain Lever stage change)', () => {
    const body = fixture('candidate-stage-change');
    const data = { candidateId: 'cand-1', opportunityId: 'opp-1', contactId: 'contact-1', fromStageId: 's1', toStageId: 's2' };
    const [event] = eventsOf({ ...body, data });
    expect(event?.facts).toMatchObject({ fromStageId: 's1', toStageId: 's2', fromStage: null, toStage: null, job: null, recruiter: null });
    expect(event?.subject).toEqual({ kind: 'application', id: 'lever:opp-1', title: 'Lever opportunity opp-1' });
    expect(event?.actors).toEqual([]);
  });

  it('maps candidateHired and applicationCreated', () => {
    const [hired] = eventsOf(fixture('candidate-hired'));
    expect(canonicalEventSchema.parse(hired)).toEqual(hired);
    expect(hired).toMatchObject({
      id: 'lever:b8e4d1c9a2f34e6b9c0d7a5e3f1b2c4d',
      type: 'candidate.hired',
      occurredAt: '2025-01-02T15:00:00.000Z',
      subject: { kind: 'application', id: 'lever:0d1e2f3a-4b5c-4d6e-9f70-666666666666', title: 'Lever opportunity 0d1e2f3a-4b5c-4d6e-9f70-666666666666' },
      facts: { applicationId: '0d1e2f3a-4b5c-4d6e-9f70-666666666666', candidateId: '9b2c4d6e-1f3a-4b5c-8d7e-555555555555' },
    });
    expect(hired?.facts).not.toHaveProperty('toStageId');

    const [created] = eventsOf(fixture('application-created'));
    expect(canonicalEventSchema.parse(created)).toEqual(created);
    expect(created).toMatchObject({
      type: 'candidate.application_created',
      subject: { id: 'lever:4e5f6a7b-8c9d-4e0f-a1b2-888888888888', title: 'Alex Fictional (Lever opportunity 4e5f6a7b-8c9d-4e0f-a1b2-888888888888)' },
      facts: { jobId: '5c3e8a1f-aaaa-4bbb-8ccc-444444444444', job: null },
    });
  });

  it('falls back to the candidate id when there is no opportunity', () => {
    const body = fixture('candidate-hired');
    const [event] = eventsOf({ ...body, data: { candidateId: 'cand-9' } });
    expect(event?.subject).toEqual({ kind: 'application', id: 'lever:cand-9', title: 'Lever candidate cand-9' });
    expect(event?.facts.applicationId).toBeNull();
  });

  it('ignores other Lever events with a reason', () => {
    for (const name of ['candidate-deleted', 'candidate-archive-change']) {
      const result = normalizeLeverEvent(fixture(name), 'd');
      expect(result.ignored).toBe(true);
      if (result.ignored) expect(result.reason).toMatch(/Lever event candidate(Deleted|ArchiveChange) is not used/);
    }
    expect(normalizeLeverEvent({ ...fixture('candidate-hired'), event: 'interviewCreated', data: null }, 'd').ignored).toBe(true);
  });

  it('names the offending field when the payload is malformed', () => {
    const body = fixture('candidate-stage-change');
    const data = body.data as Record<string, unknown>;
    const cases: [unknown, RegExp][] = [
      [null, /^: /],
      [{ ...body, token: undefined }, /^token: /],
      [{ ...body, triggeredAt: '2025-01-01' }, /^triggeredAt: /],
      [{ ...body, triggeredAt: 1.5 }, /^triggeredAt: /],
      [{ ...body, event: 42 }, /^event: /],
      [{ ...body, data: 'nope' }, /^data: /],
      [{ ...body, data: { ...data, candidateId: undefined } }, /^data\.candidateId: /],
      [{ ...body, data: { ...data, toStageId: undefined } }, /^data\.toStageId: /],
      [{ ...body, data: { ...data, opportunityId: 7 } }, /^data\.opportunityId: /],
    ];
    for (const [payload, message] of cases) {
      expect(() => normalizeLeverEvent(payload, 'd')).toThrow(PayloadInvalidError);
      expect(() => normalizeLeverEvent(payload, 'd')).toThrow(message);
    }
  });

  it('keeps candidate contact data out of events and out of stored payloads', () => {
    for (const name of ['candidate-stage-change', 'candidate-hired', 'application-created', 'candidate-deleted']) {
      const body = fixture(name);
      // The fixtures really do carry contact data (apart from the deleted one).
      if (name !== 'candidate-deleted') expect(JSON.stringify(body)).toMatch(/@/);
      const result = leverSource.normalize(body, 'd');
      if (!result.ignored) expectNoPersonalData(result.events);
      const stored = leverSource.redactForStorage?.(body);
      expectNoPersonalData(stored);
      expect(stored).toMatchObject({ token: body.token, event: body.event });
    }
  });

  it('masks contact data smuggled into name fields', () => {
    const body = fixture('candidate-hired');
    const data = { candidateId: 'c', opportunityId: 'o', candidateName: 'Pat x@example.com +1 415 555 0100', recruiter: 'r@example.com' };
    const [event] = eventsOf({ ...body, data });
    expectNoPersonalData(event);
  });

  it('throws only PayloadInvalidError, or returns events that pass the canonical schema, for arbitrary JSON', () => {
    const named = fc.oneof(fc.string(), fc.record({ id: fc.string(), text: fc.string(), name: fc.string() }, { requiredKeys: [] }));
    const data = fc.record(
      {
        candidateId: fc.string(),
        opportunityId: fc.oneof(fc.string(), fc.constant(null)),
        fromStageId: fc.string(),
        toStageId: fc.string(),
        fromStage: named,
        toStage: named,
        candidateName: fc.string(),
        candidate: fc.record({ name: fc.string() }, { requiredKeys: [] }),
        posting: named,
        department: named,
        recruiter: named,
        hiringManager: named,
        extra: fc.jsonValue(),
      },
      { requiredKeys: [] },
    );
    const envelope = fc.record(
      {
        token: fc.oneof(fc.string(), fc.string({ minLength: 180, maxLength: 220 })),
        triggeredAt: fc.oneof(fc.integer({ min: -1, max: 9e15 }), fc.double(), fc.jsonValue()),
        event: fc.oneof(fc.constantFrom('candidateStageChange', 'candidateHired', 'applicationCreated', 'candidateDeleted'), fc.string()),
        signature: fc.string(),
        data: fc.oneof(data, fc.jsonValue()),
      },
      { requiredKeys: [] },
    );
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), envelope), keepsNormalizeContract(normalizeLeverEvent, 'delivery-1')), { numRuns: 500 });
  });
});
