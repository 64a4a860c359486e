import { createHash } from 'node:crypto';
import type { Actor, CanonicalEvent, FactValue, Link } from '../core/canonical-event';
import { safeHttpUrl } from '../core/safe-url';
import { maskPersonalText, stripPersonalData } from '../core/personal-data';

/* Helpers shared by the applicant-tracking sources (Greenhouse, Lever, Ashby). */

/** `<source>:<deliveryId>`, hashed when it would exceed the canonical id limit. */
export function eventId(source: string, deliveryId: string): string {
  const id = `${source}:${deliveryId}`;
  return id.length <= 200 ? id : `${source}:sha256:${createHash('sha256').update(deliveryId).digest('hex')}`;
}

/** Trimmed, masked, bounded text; undefined when empty. */
export function clean(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? maskPersonalText(trimmed).slice(0, 200) : undefined;
}

/** ISO instant for a parseable timestamp within years 0000-9999, else undefined. */
export function isoOrUndefined(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time)) return undefined;
  const iso = new Date(time).toISOString();
  return /^\d{4}-/.test(iso) ? iso : undefined;
}

/**
 * The payload as stored for audit: personal fields removed by name (`stripPersonalData`),
 * then emails and phone numbers masked inside any remaining free text (answers, notes).
 */
export function redactPayload(payload: unknown): unknown {
  return maskStrings(stripPersonalData(payload));
}

/** Timestamps, dates and UUIDs look like phone numbers to the mask but are never personal. */
const NOT_PERSONAL =
  /^(\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

function maskStrings(value: unknown): unknown {
  if (typeof value === 'string') return NOT_PERSONAL.test(value) ? value : maskPersonalText(value);
  if (Array.isArray(value)) return value.map(maskStrings);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, maskStrings(child)]));
}

/** Only https links into the vendor's own domain: a candidate-supplied website must never become a link. */
export function vendorUrl(value: string | null | undefined, domain: string): string | undefined {
  const url = safeHttpUrl(value);
  if (!url || url.length > 2000) return undefined;
  const host = new URL(url).hostname;
  return url.startsWith('https:') && (host === domain || host.endsWith(`.${domain}`)) ? url : undefined;
}

export interface ApplicationEventInput {
  source: string;
  type: string;
  id: string;
  deliveryId: string;
  occurredAt: string;
  /** Vendor id of the application; the subject id is `<source>:<applicationId>`. */
  applicationId: string;
  title: string;
  /** A link into the vendor's own app (see `vendorUrl`), shown with `linkLabel`. */
  url?: string;
  linkLabel?: string;
  recruiter?: string | null;
  hiringManager?: string | null;
  facts: Record<string, FactValue>;
}

/** The canonical event every applicant-tracking source emits: one shape, so workers read one vocabulary. */
export function applicationEvent(input: ApplicationEventInput): CanonicalEvent {
  const actors: Actor[] = [];
  if (input.recruiter) actors.push({ role: 'recruiter', name: input.recruiter });
  if (input.hiringManager) actors.push({ role: 'hiring_manager', name: input.hiringManager });
  const links: Link[] = input.url && input.linkLabel ? [{ label: input.linkLabel, url: input.url }] : [];
  return {
    id: input.id,
    source: input.source,
    type: input.type,
    occurredAt: input.occurredAt,
    deliveryId: input.deliveryId,
    subject: {
      kind: 'application',
      id: `${input.source}:${input.applicationId}`,
      title: input.title.slice(0, 1000),
      ...(input.url ? { url: input.url } : {}),
    },
    actors,
    links,
    facts: input.facts,
  };
}
