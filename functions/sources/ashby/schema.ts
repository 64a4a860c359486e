import * as z from 'zod/mini';

/**
 * Ashby webhook shapes we read (`{ action, webhookActionId, data }`). Objects are loose.
 * Personal fields (primaryEmailAddress, emailAddresses, phoneNumbers, socialLinks, …) are
 * deliberately not modelled.
 */
const text = z.nullish(z.string());
const id = z.string().check(z.minLength(1), z.maxLength(100));

const stage = z.looseObject({ id: text, title: text });

const teamMember = z.looseObject({ userId: text, firstName: text, lastName: text, role: text });

export const ashbyApplicationSchema = z.looseObject({
  id,
  status: text,
  createdAt: text,
  updatedAt: text,
  candidate: z.nullish(z.looseObject({ id: z.nullish(id), name: text, profileUrl: text })),
  currentInterviewStage: z.nullish(stage),
  previousInterviewStage: z.nullish(stage),
  job: z.nullish(
    z.looseObject({
      id: z.nullish(id),
      title: text,
      departmentId: text,
      departmentName: text,
      department: z.nullish(z.looseObject({ name: text })),
    }),
  ),
  hiringTeam: z.nullish(z.array(teamMember)),
  archiveReason: z.nullish(z.looseObject({ text: text })),
});

export const ashbyOfferSchema = z.looseObject({
  id: text,
  applicationId: z.nullish(id),
  offerStatus: text,
  acceptanceStatus: text,
  latestVersion: z.nullish(z.looseObject({ createdAt: text })),
});

export const ashbyDataSchema = z.looseObject({
  application: z.optional(z.unknown()),
  offer: z.optional(z.unknown()),
  previousInterviewStage: z.nullish(stage),
});

export const ashbyEnvelopeSchema = z.looseObject({
  action: z.string().check(z.minLength(1), z.maxLength(100)),
  webhookActionId: z.nullish(z.string().check(z.minLength(1), z.maxLength(100))),
  data: z.optional(z.unknown()),
});

export type AshbyApplication = z.infer<typeof ashbyApplicationSchema>;
export type AshbyOffer = z.infer<typeof ashbyOfferSchema>;
