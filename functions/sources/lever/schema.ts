import * as z from 'zod';

/**
 * Lever webhook body and the event data we use. Lever posts one JSON object per event:
 * `{ token, triggeredAt, event, signature, data }`, where `triggeredAt` is epoch milliseconds
 * and `signature` signs only `token + triggeredAt`. Objects are loose: Lever adds fields
 * over time and an unknown field must never reject a delivery.
 * Shapes: Lever developer docs, "Webhooks" (candidateStageChange, candidateHired, applicationCreated, …).
 */

/** Longest accepted token, so `lever:<token>` fits the 200-character canonical id. */
export const MAX_TOKEN_LENGTH = 190;

const id = z.string().min(1).max(190);

/** Lever sometimes names a thing by a bare string and sometimes by a `{ id, text | name }` object. */
const named = z.union([z.string(), z.looseObject({ id: z.string().nullish(), text: z.string().nullish(), name: z.string().nullish() })]);

export const leverEnvelopeSchema = z.looseObject({
  token: z.string().min(1).max(MAX_TOKEN_LENGTH),
  // Epoch milliseconds, up to 9999-12-31T23:59:59.999Z so it converts to a plain ISO-8601 instant.
  triggeredAt: z.number().int().min(0).max(253_402_300_799_999),
  event: z.string().min(1).max(100),
  signature: z.string().optional(),
  data: z.unknown(),
});

export const leverDataSchema = z.looseObject({
  candidateId: id,
  opportunityId: id.nullish(),
  applicationId: z.string().nullish(),
  contactId: z.string().nullish(),
  postingId: z.string().nullish(),
  fromStageId: z.string().nullish(),
  toStageId: z.string().nullish(),
  fromStage: named.nullish(),
  toStage: named.nullish(),
  candidateName: z.string().nullish(),
  candidate: z.looseObject({ name: z.string().nullish() }).nullish(),
  posting: named.nullish(),
  job: named.nullish(),
  department: named.nullish(),
  recruiter: named.nullish(),
  hiringManager: named.nullish(),
});

/** `candidateStageChange` must say which stage the candidate moved to. */
export const leverStageChangeDataSchema = leverDataSchema.extend({
  toStageId: z.string().min(1),
});

export type LeverEnvelope = z.infer<typeof leverEnvelopeSchema>;
export type LeverData = z.infer<typeof leverDataSchema>;
export type LeverNamed = z.infer<typeof named>;
