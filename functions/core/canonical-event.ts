import * as z from 'zod';

/**
 * The one shape every webhook source normalises into. Workers never see vendor payloads:
 * they read `subject`, `actors`, `links` and the flat `facts` map, so adding a source does
 * not touch any worker.
 */
export const factValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);

export const linkSchema = z.object({
  label: z.string().max(200),
  url: z.string().url().max(2000),
});

export const actorSchema = z.object({
  role: z.string().max(50),
  name: z.string().max(200),
  id: z.string().max(200).optional(),
});

export const canonicalEventSchema = z.object({
  /** Unique id of the event at its source (PagerDuty `event.id`, …). */
  id: z.string().min(1).max(200),
  source: z.string().min(1).max(50),
  /** Domain event type, e.g. `incident.triggered`. Becomes the bus detail-type. */
  type: z.string().min(1).max(100),
  /** ISO-8601 instant at which the source says the event happened. */
  occurredAt: z.string().datetime({ offset: true }),
  /** The webhook delivery that carried it (same on every retry of that delivery). */
  deliveryId: z.string().min(1).max(200),
  subject: z.object({
    kind: z.string().max(50),
    id: z.string().min(1).max(200),
    /** Human-facing identifier, e.g. incident number `#1234` or issue key `OPS-12`. */
    key: z.string().max(100).optional(),
    title: z.string().max(1000),
    url: z.string().url().max(2000).optional(),
  }),
  priority: z.string().max(50).optional(),
  actors: z.array(actorSchema).max(50),
  links: z.array(linkSchema).max(20),
  facts: z.record(z.string(), factValueSchema),
});

export type CanonicalEvent = z.infer<typeof canonicalEventSchema>;
export type FactValue = z.infer<typeof factValueSchema>;
export type Link = z.infer<typeof linkSchema>;
export type Actor = z.infer<typeof actorSchema>;
