import * as z from 'zod/mini';

/**
 * Jira Cloud webhook payloads (admin webhooks, "Issue created/updated"). Objects are loose:
 * Jira adds fields (custom fields, expansions) all the time and an unknown field must never
 * reject a delivery. Shape: Atlassian developer docs, "Webhooks" (example callback body).
 */

/** Last instant whose ISO form is `YYYY-…` (year 9999); later values cannot be an `occurredAt`. */
const MAX_EPOCH_MS = 253402300799999;

const named = z.looseObject({ name: z.nullish(z.string()) });

const person = z.looseObject({
  displayName: z.nullish(z.string()),
  accountId: z.nullish(z.string()),
});

/** Only `webhookEvent`, so event types we ignore are not rejected for their other fields. */
export const jiraEventTypeSchema = z.looseObject({ webhookEvent: z.string().check(z.minLength(1)) });

export const jiraIssueSchema = z.looseObject({
  id: z.string().check(z.minLength(1), z.maxLength(100)),
  key: z.string().check(z.minLength(1), z.maxLength(100)),
  self: z.nullish(z.string()),
  fields: z.looseObject({
    summary: z.nullish(z.string()),
    issuetype: z.nullish(named),
    project: z.nullish(z.looseObject({ key: z.nullish(z.string()), name: z.nullish(z.string()) })),
    assignee: z.nullish(person),
    reporter: z.nullish(person),
    priority: z.nullish(named),
    labels: z.nullish(z.array(z.string())),
    /** Set when the issue is resolved: its resolution (Done, Won't Do, …) and when. */
    resolution: z.nullish(named),
    resolutiondate: z.nullish(z.string()),
    status: z.nullish(z.looseObject({ name: z.nullish(z.string()), statusCategory: z.nullish(named) })),
    /** String (wiki markup) in webhooks; only ever used as a trimmed excerpt. */
    description: z.optional(z.unknown()),
  }),
});

/**
 * A changelog item. `toString` is deliberately not in the shape: zod reads `input.toString`,
 * which on an item without its own `toString` is `Object.prototype.toString`. It is read as an
 * own property in normalize instead.
 */
export const jiraChangelogItemSchema = z.looseObject({
  field: z.string(),
  fieldtype: z.nullish(z.string()),
  fieldId: z.nullish(z.string()),
  from: z.optional(z.unknown()),
  fromString: z.nullish(z.string()),
  to: z.optional(z.unknown()),
});

export const jiraChangelogSchema = z.looseObject({
  id: z.nullish(z.union([z.string().check(z.minLength(1), z.maxLength(50)), z.int()])),
  items: z.nullish(z.array(jiraChangelogItemSchema).check(z.maxLength(500))),
});

export const jiraEnvelopeSchema = z.looseObject({
  webhookEvent: z.string().check(z.minLength(1)),
  timestamp: z.int().check(z.gte(0), z.lte(MAX_EPOCH_MS)),
  issue_event_type_name: z.nullish(z.string()),
  user: z.nullish(person),
  issue: jiraIssueSchema,
  changelog: z.nullish(jiraChangelogSchema),
});

export type JiraEnvelope = z.infer<typeof jiraEnvelopeSchema>;
export type JiraIssue = z.infer<typeof jiraIssueSchema>;
export type JiraChangelogItem = z.infer<typeof jiraChangelogItemSchema>;
