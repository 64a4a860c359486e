import * as z from 'zod/mini';

/**
 * PagerDuty Webhooks V3 envelope and the event data we use. Objects are loose: PagerDuty
 * adds fields over time and an unknown field must never reject a delivery.
 * Shapes: PagerDuty developer docs, "Webhooks Overview" (event data types).
 */
const reference = z.looseObject({
  id: z.string(),
  summary: z.optional(z.string()),
  html_url: z.nullish(z.string()),
  type: z.optional(z.string()),
});

export const pagerDutyIncidentSchema = z.looseObject({
  type: z.literal('incident'),
  id: z.string().check(z.minLength(1)),
  html_url: z.nullish(z.string()),
  number: z.nullish(z.int()),
  status: z.nullish(z.string()),
  incident_key: z.nullish(z.string()),
  created_at: z.nullish(z.string()),
  title: z.nullish(z.string()),
  service: z.nullish(reference),
  assignees: z.nullish(z.array(reference)),
  escalation_policy: z.nullish(reference),
  teams: z.nullish(z.array(reference)),
  priority: z.nullish(reference),
  urgency: z.nullish(z.string()),
  conference_bridge: z.nullish(z.looseObject({ conference_number: z.nullish(z.string()), conference_url: z.nullish(z.string()) })),
  resolve_reason: z.optional(z.unknown()),
});

/** `incident_note` (annotated) and `incident_status_update` point at their incident by reference. */
export const pagerDutyIncidentChildSchema = z.looseObject({
  type: z.enum(['incident_note', 'incident_status_update']),
  id: z.string().check(z.minLength(1)),
  incident: reference,
  content: z.nullish(z.string()),
  message: z.nullish(z.string()),
  trimmed: z.nullish(z.boolean()),
});

export const pagerDutyEnvelopeSchema = z.looseObject({
  event: z.looseObject({
    id: z.string().check(z.minLength(1)),
    event_type: z.string().check(z.minLength(1)),
    resource_type: z.optional(z.string()),
    occurred_at: z.iso.datetime({ offset: true }),
    agent: z.nullish(reference),
    data: z.unknown(),
  }),
});

export type PagerDutyEnvelope = z.infer<typeof pagerDutyEnvelopeSchema>;
export type PagerDutyIncident = z.infer<typeof pagerDutyIncidentSchema>;
export type PagerDutyIncidentChild = z.infer<typeof pagerDutyIncidentChildSchema>;
