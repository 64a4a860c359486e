import * as z from 'zod/mini';

/**
 * Greenhouse Harvest webhook shapes we read. Objects are loose: Greenhouse adds fields and an
 * unknown field must never reject a delivery. Personal fields (email_addresses, phone_numbers,
 * addresses, website_addresses, social_media_addresses) are deliberately not modelled.
 */
const id = z.union([z.int(), z.string().check(z.minLength(1), z.maxLength(100))]);
const text = z.nullish(z.string());

const named = z.looseObject({ id: z.nullish(id), name: text });

const person = z.looseObject({ id: z.nullish(id), first_name: text, last_name: text, name: text });

export const greenhouseJobSchema = z.looseObject({
  id: z.nullish(id),
  name: text,
  departments: z.nullish(z.array(named)),
  hiring_team: z.nullish(z.looseObject({ hiring_managers: z.nullish(z.array(person)), recruiters: z.nullish(z.array(person)) })),
});

export const greenhouseCandidateSchema = z.looseObject({
  id: z.nullish(id),
  first_name: text,
  last_name: text,
  url: text,
  recruiter: z.nullish(person),
});

export const greenhouseApplicationSchema = z.looseObject({
  id,
  candidate_id: z.nullish(id),
  status: text,
  url: text,
  updated_at: text,
  last_activity_at: text,
  current_stage: z.nullish(named),
  jobs: z.nullish(z.array(greenhouseJobSchema)),
  candidate: z.nullish(greenhouseCandidateSchema),
  rejection_reason: z.nullish(named),
});

export const greenhouseOfferSchema = z.looseObject({
  id: z.nullish(id),
  application_id: z.nullish(id),
  job_id: z.nullish(id),
  offer_status: text,
  created_at: text,
  updated_at: text,
});

/** `payload` of a delivery: an application (with its candidate and jobs), or an offer. */
export const greenhousePayloadSchema = z.looseObject({
  application: z.optional(z.unknown()),
  candidate: z.nullish(greenhouseCandidateSchema),
  job: z.nullish(greenhouseJobSchema),
  offer: z.optional(z.unknown()),
});

export const greenhouseEnvelopeSchema = z.looseObject({
  action: z.string().check(z.minLength(1), z.maxLength(100)),
  payload: z.optional(z.unknown()),
});

export type GreenhouseApplication = z.infer<typeof greenhouseApplicationSchema>;
export type GreenhouseCandidate = z.infer<typeof greenhouseCandidateSchema>;
export type GreenhouseJob = z.infer<typeof greenhouseJobSchema>;
export type GreenhouseOffer = z.infer<typeof greenhouseOfferSchema>;
