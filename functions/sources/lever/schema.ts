import * as z from 'zod/mini';

/**
 * Lever webhook body and the event data we use. Lever posts one JSON object per event:
 * `{ token, triggeredAt, event, signature, data }`, where `triggeredAt` is epoch milliseconds
 * and `signature` signs only `token + triggeredAt`. Objects are loose: Lever adds fields
 * over time and an unknown field must never reject a delivery.
 * Shapes: Lever developer docs, "Webhooks" (candidateStageChange, candidateHired, applicationCreated, …).
 */

/** Longest accepted token, so `lever:<token>` fits the 200-character canonical id. */
export const MAX_TOKEN_LENGTH = 190;

const id = z.string().check(z.minLength(1), z.maxLength(190));

/** Lever sometimes names a thing by a bare string and sometimes by a `{ id, text | name }` object. */
const named = z.union([z.string(), z.looseObject({ id: z.nullish(z.string()), text: z.nullish(z.string()), name: z.nullish(z.string()) })]);

export const leverEnvelopeSchema = z.looseObject({
  token: z.string().check(z.minLength(1), z.maxLength(MAX_TOKEN_LENGTH)),
  // Epoch milliseconds, up to 9999-12-31T23:59:59.999Z so it converts to a plain ISO-8601 instant.
  triggeredAt: z.int().check(z.gte(0), z.lte(253_402_300_799_999)),
  event: z.string().check(z.minLength(1), z.maxLength(100)),
  signature: z.optional(z.string()),
  data: z.unknown(),
});

export const leverDataSchema = z.looseObject({
  candidateId: id,
  opportunityId: z.nullish(id),
  applicationId: z.nullish(z.string()),
  contactId: z.nullish(z.string()),
  postingId: z.nullish(z.string()),
  fromStageId: z.nullish(z.string()),
  toStageId: z.nullish(z.string()),
  fromStage: z.nullish(named),
  toStage: z.nullish(named),
  candidateName: z.nullish(z.string()),
  candidate: z.nullish(z.looseObject({ name: z.nullish(z.string()) })),
  posting: z.nullish(named),
  job: z.nullish(named),
  department: z.nullish(named),
  recruiter: z.nullish(named),
  hiringManager: z.nullish(named),
});

/** `candidateStageChange` must say which stage the candidate moved to. */
export const leverStageChangeDataSchema = z.extend(leverDataSchema, {
  toStageId: z.string().check(z.minLength(1)),
});

export type LeverEnvelope = z.infer<typeof leverEnvelopeSchema>;
export type LeverData = z.infer<typeof leverDataSchema>;
export type LeverNamed = z.infer<typeof named>;
