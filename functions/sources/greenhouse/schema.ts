import * as z from 'zod';

/**
 * Greenhouse Harvest webhook shapes we read. Objects are loose: Greenhouse adds fields and an
 * unknown field must never reject a delivery. Personal fields (email_addresses, phone_numbers,
 * addresses, website_addresses, social_media_addresses) are deliberately not modelled.
 */
const id = z.union([z.number().int(), z.string().min(1).max(100)]);
const text = z.string().nullish();

const named = z.looseObject({ id: id.nullish(), name: text });

const person = z.looseObject({ id: id.nullish(), first_name: text, last_name: text, name: text });

export const greenhouseJobSchema = z.looseObject({
  id: id.nullish(),
  name: text,
  departments: z.array(named).nullish(),
  hiring_team: z.looseObject({ hiring_managers: z.array(person).nullish(), recruiters: z.array(person).nullish() }).nullish(),
});

export const greenhouseCandidateSchema = z.looseObject({
  id: id.nullish(),
  first_name: text,
  last_name: text,
  url: text,
  recruiter: person.nullish(),
});

export const greenhouseApplicationSchema = z.looseObject({
  id,
  candidate_id: id.nullish(),
  status: text,
  url: text,
  updated_at: text,
  last_activity_at: text,
  current_stage: named.nullish(),
  jobs: z.array(greenhouseJobSchema).nullish(),
  candidate: greenhouseCandidateSchema.nullish(),
  rejection_reason: named.nullish(),
});

export const greenhouseOfferSchema = z.looseObject({
  id: id.nullish(),
  application_id: id.nullish(),
  job_id: id.nullish(),
  offer_status: text,
  created_at: text,
  updated_at: text,
});

/** `payload` of a delivery: an application (with its candidate and jobs), or an offer. */
export const greenhousePayloadSchema = z.looseObject({
  application: z.unknown().optional(),
  candidate: greenhouseCandidateSchema.nullish(),
  job: greenhouseJobSchema.nullish(),
  offer: z.unknown().optional(),
});

export const greenhouseEnvelopeSchema = z.looseObject({
  action: z.string().min(1).max(100),
  payload: z.unknown().optional(),
});

export type GreenhouseApplication = z.infer<typeof greenhouseApplicationSchema>;
export type GreenhouseCandidate = z.infer<typeof greenhouseCandidateSchema>;
export type GreenhouseJob = z.infer<typeof greenhouseJobSchema>;
export type GreenhouseOffer = z.infer<typeof greenhouseOfferSchema>;
