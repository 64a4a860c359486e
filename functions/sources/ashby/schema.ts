import * as z from 'zod';

/**
 * Ashby webhook shapes we read (`{ action, webhookActionId, data }`). Objects are loose.
 * Personal fields (primaryEmailAddress, emailAddresses, phoneNumbers, socialLinks, …) are
 * deliberately not modelled.
 */
const text = z.string().nullish();
const id = z.string().min(1).max(100);

const stage = z.looseObject({ id: text, title: text });

const teamMember = z.looseObject({ userId: text, firstName: text, lastName: text, role: text });

export const ashbyApplicationSchema = z.looseObject({
  id,
  status: text,
  createdAt: text,
  updatedAt: text,
  candidate: z.looseObject({ id: id.nullish(), name: text, profileUrl: text }).nullish(),
  currentInterviewStage: stage.nullish(),
  previousInterviewStage: stage.nullish(),
  job: z
    .looseObject({
      id: id.nullish(),
      title: text,
      departmentId: text,
      departmentName: text,
      department: z.looseObject({ name: text }).nullish(),
    })
    .nullish(),
  hiringTeam: z.array(teamMember).nullish(),
  archiveReason: z.looseObject({ text: text }).nullish(),
});

export const ashbyOfferSchema = z.looseObject({
  id: text,
  applicationId: id.nullish(),
  offerStatus: text,
  acceptanceStatus: text,
  latestVersion: z.looseObject({ createdAt: text }).nullish(),
});

export const ashbyDataSchema = z.looseObject({
  application: z.unknown().optional(),
  offer: z.unknown().optional(),
  previousInterviewStage: stage.nullish(),
});

export const ashbyEnvelopeSchema = z.looseObject({
  action: z.string().min(1).max(100),
  webhookActionId: z.string().min(1).max(100).nullish(),
  data: z.unknown().optional(),
});

export type AshbyApplication = z.infer<typeof ashbyApplicationSchema>;
export type AshbyOffer = z.infer<typeof ashbyOfferSchema>;
