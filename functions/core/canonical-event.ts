import * as z from 'zod/mini';

/**
 * The one shape every webhook source normalises into. Workers never see vendor payloads:
 * they read `subject`, `actors`, `links` and the flat `facts` map, so adding a source does
 * not touch any worker.
 */
export const factValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);

export const linkSchema = z.object({
  label: z.string().check(z.maxLength(200)),
  url: z.url().check(z.maxLength(2000)),
});

export const actorSchema = z.object({
  role: z.string().check(z.maxLength(50)),
  name: z.string().check(z.maxLength(200)),
  id: z.optional(z.string().check(z.maxLength(200))),
});

export const canonicalEventSchema = z.object({
  /** Unique id of the event at its source (PagerDuty `event.id`, …). */
  id: z.string().check(z.minLength(1), z.maxLength(200)),
  source: z.string().check(z.minLength(1), z.maxLength(50)),
  /** Domain event type, e.g. `incident.triggered`. Becomes the bus detail-type. */
  type: z.string().check(z.minLength(1), z.maxLength(100)),
  /** ISO-8601 instant at which the source says the event happened. */
  occurredAt: z.iso.datetime({ offset: true }),
  /** The webhook delivery that carried it (same on every retry of that delivery). */
  deliveryId: z.string().check(z.minLength(1), z.maxLength(200)),
  subject: z.object({
    kind: z.string().check(z.maxLength(50)),
    id: z.string().check(z.minLength(1), z.maxLength(200)),
    /** Human-facing identifier, e.g. incident number `#1234` or issue key `OPS-12`. */
    key: z.optional(z.string().check(z.maxLength(100))),
    title: z.string().check(z.maxLength(1000)),
    url: z.optional(z.url().check(z.maxLength(2000))),
  }),
  priority: z.optional(z.string().check(z.maxLength(50))),
  actors: z.array(actorSchema).check(z.maxLength(50)),
  links: z.array(linkSchema).check(z.maxLength(20)),
  facts: z.record(z.string(), factValueSchema),
});

export type CanonicalEvent = z.infer<typeof canonicalEventSchema>;
export type FactValue = z.infer<typeof factValueSchema>;
export type Link = z.infer<typeof linkSchema>;
export type Actor = z.infer<typeof actorSchema>;
