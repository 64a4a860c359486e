import * as z from 'zod';

/**
 * PagerDuty Webhooks V3 envelope and the event data we use. Objects are loose: PagerDuty
 * adds fields over time and an unknown field must never reject a delivery.
 * Shapes: PagerDuty developer docs, "Webhooks Overview" (event data types).
 */
const reference = z.looseObject({
  id: z.string(),
  summary: z.string().optional(),
  html_url: z.string().nullish(),
  type: z.string().optional(),
});

export const pagerDutyIncidentSchema = z.looseObject({
  type: z.literal('incident'),
  id: z.string().min(1),
  html_url: z.string().nullish(),
  number: z.number().int().nullish(),
  status: z.string().nullish(),
  incident_key: z.string().nullish(),
  created_at: z.string().nullish(),
  title: z.string().nullish(),
  service: reference.nullish(),
  assignees: z.array(reference).nullish(),
  escalation_policy: reference.nullish(),
  teams: z.array(reference).nullish(),
  priority: reference.nullish(),
  urgency: z.string().nullish(),
  conference_bridge: z.looseObject({ conference_number: z.string().nullish(), conference_url: z.string().nullish() }).nullish(),
  resolve_reason: z.unknown().optional(),
});

/** `incident_note` (annotated) and `incident_status_update` point at their incident by reference. */
export const pagerDutyIncidentChildSchema = z.looseObject({
  type: z.enum(['incident_note', 'incident_status_update']),
  id: z.string().min(1),
  incident: reference,
  content: z.string().nullish(),
  message: z.string().nullish(),
  trimmed: z.boolean().nullish(),
});

export const pagerDutyEnvelopeSchema = z.looseObject({
  event: z.looseObject({
    id: z.string().min(1),
    event_type: z.string().min(1),
    resource_type: z.string().optional(),
    occurred_at: z.string().datetime({ offset: true }),
    agent: reference.nullish(),
    data: z.unknown(),
  }),
});

export type PagerDutyEnvelope = z.infer<typeof pagerDutyEnvelopeSchema>;
export type PagerDutyIncident = z.infer<typeof pagerDutyIncidentSchema>;
export type PagerDutyIncidentChild = z.infer<typeof pagerDutyIncidentChildSchema>;
