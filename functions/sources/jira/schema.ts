import * as z from 'zod';

/**
 * Jira Cloud webhook payloads (admin webhooks, "Issue created/updated"). Objects are loose:
 * Jira adds fields (custom fields, expansions) all the time and an unknown field must never
 * reject a delivery. Shape: Atlassian developer docs, "Webhooks" (example callback body).
 */

/** Last instant whose ISO form is `YYYY-…` (year 9999); later values cannot be an `occurredAt`. */
const MAX_EPOCH_MS = 253402300799999;

const named = z.looseObject({ name: z.string().nullish() });

const person = z.looseObject({
  displayName: z.string().nullish(),
  accountId: z.string().nullish(),
});

/** Only `webhookEvent`, so event types we ignore are not rejected for their other fields. */
export const jiraEventTypeSchema = z.looseObject({ webhookEvent: z.string().min(1) });

export const jiraIssueSchema = z.looseObject({
  id: z.string().min(1).max(100),
  key: z.string().min(1).max(100),
  self: z.string().nullish(),
  fields: z.looseObject({
    summary: z.string().nullish(),
    issuetype: named.nullish(),
    project: z.looseObject({ key: z.string().nullish(), name: z.string().nullish() }).nullish(),
    assignee: person.nullish(),
    reporter: person.nullish(),
    priority: named.nullish(),
    labels: z.array(z.string()).nullish(),
    /** Set when the issue is resolved: its resolution (Done, Won't Do, …) and when. */
    resolution: named.nullish(),
    resolutiondate: z.string().nullish(),
    status: z.looseObject({ name: z.string().nullish(), statusCategory: named.nullish() }).nullish(),
    /** String (wiki markup) in webhooks; only ever used as a trimmed excerpt. */
    description: z.unknown().optional(),
  }),
});

/**
 * A changelog item. `toString` is deliberately not in the shape: zod reads `input.toString`,
 * which on an item without its own `toString` is `Object.prototype.toString`. It is read as an
 * own property in normalize instead.
 */
export const jiraChangelogItemSchema = z.looseObject({
  field: z.string(),
  fieldtype: z.string().nullish(),
  fieldId: z.string().nullish(),
  from: z.unknown().optional(),
  fromString: z.string().nullish(),
  to: z.unknown().optional(),
});

export const jiraChangelogSchema = z.looseObject({
  id: z.union([z.string().min(1).max(50), z.number().int()]).nullish(),
  items: z.array(jiraChangelogItemSchema).max(500).nullish(),
});

export const jiraEnvelopeSchema = z.looseObject({
  webhookEvent: z.string().min(1),
  timestamp: z.number().int().min(0).max(MAX_EPOCH_MS),
  issue_event_type_name: z.string().nullish(),
  user: person.nullish(),
  issue: jiraIssueSchema,
  changelog: jiraChangelogSchema.nullish(),
});

export type JiraEnvelope = z.infer<typeof jiraEnvelopeSchema>;
export type JiraIssue = z.infer<typeof jiraIssueSchema>;
export type JiraChangelogItem = z.infer<typeof jiraChangelogItemSchema>;
