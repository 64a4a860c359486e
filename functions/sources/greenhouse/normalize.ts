import type { FactValue } from '../../core/canonical-event';
import { applicationEvent, clean, eventId, isoOrUndefined, vendorUrl } from '../hiring-helpers';
import { parseOrExplain } from '../schema-error';
import { type Normalized, PayloadInvalidError } from '../types';
import {
  type GreenhouseApplication,
  type GreenhouseCandidate,
  type GreenhouseJob,
  type GreenhouseOffer,
  greenhouseApplicationSchema,
  greenhouseEnvelopeSchema,
  greenhouseOfferSchema,
  greenhousePayloadSchema,
} from './schema';

/** Greenhouse `action` → canonical event type. Everything else (incl. `ping`) is ignored. */
export const greenhouseActionTypes = {
  candidate_stage_change: 'candidate.stage_changed',
  offer_created: 'candidate.offer_created',
  offer_approved: 'candidate.offer_created',
  hire_candidate: 'candidate.hired',
  reject_candidate: 'candidate.rejected',
} as const satisfies Record<string, string>;

type HandledAction = keyof typeof greenhouseActionTypes;

function isHandled(action: string): action is HandledAction {
  return Object.hasOwn(greenhouseActionTypes, action);
}

/**
 * Maps a Greenhouse delivery to one canonical candidate event. Candidate email, phone,
 * postal address and social/website links are never read, so they cannot leak; every
 * copied string also passes through `maskPersonalText`.
 */
export function normalizeGreenhouseEvent(payload: unknown, deliveryId: string): Normalized {
  const { action, payload: body } = parseOrExplain(greenhouseEnvelopeSchema, payload, '');
  if (!isHandled(action)) {
    return { ignored: true, reason: `Greenhouse action ${action} is not used by this service` };
  }
  const inner = parseOrExplain(greenhousePayloadSchema, body ?? {}, 'payload');
  const isOffer = action === 'offer_created' || action === 'offer_approved';

  let application: GreenhouseApplication | undefined;
  let offer: GreenhouseOffer | undefined;
  if (isOffer) {
    // Offer deliveries carry the offer either as `payload.offer` or as `payload` itself.
    offer = inner.offer != null ? parseOrExplain(greenhouseOfferSchema, inner.offer, 'payload.offer') : parseOrExplain(greenhouseOfferSchema, body, 'payload');
    if (inner.application != null) {
      application = parseOrExplain(greenhouseApplicationSchema, inner.application, 'payload.application');
    }
  } else {
    if (inner.application == null) throw new PayloadInvalidError(`payload.application: required for ${action}`);
    application = parseOrExplain(greenhouseApplicationSchema, inner.application, 'payload.application');
  }

  const applicationRef = application?.id ?? offer?.application_id;
  if (applicationRef == null) throw new PayloadInvalidError('payload.application_id: required for offer events');
  const applicationId = String(applicationRef);

  const candidate: GreenhouseCandidate | undefined = application?.candidate ?? inner.candidate ?? undefined;
  const job: GreenhouseJob | undefined = inner.job ?? application?.jobs?.[0] ?? undefined;
  const jobName = clean(job?.name);
  const candidateName = clean([candidate?.first_name, candidate?.last_name].filter(Boolean).join(' '));
  const recruiter = firstName(job?.hiring_team?.recruiters) ?? personName(candidate?.recruiter);
  const hiringManager = firstName(job?.hiring_team?.hiring_managers);

  const facts: Record<string, FactValue> = {
    applicationId,
    candidateId: idOrNull(candidate?.id ?? application?.candidate_id),
    job: jobName ?? null,
    jobId: idOrNull(job?.id ?? offer?.job_id),
    department: clean(job?.departments?.[0]?.name) ?? null,
    toStage: clean(application?.current_stage?.name) ?? null,
    // Greenhouse does not send the previous stage; the worker derives it from history.
    fromStage: null,
    recruiter: recruiter ?? null,
    hiringManager: hiringManager ?? null,
  };
  if (isOffer) facts.offerStatus = action === 'offer_approved' ? 'approved' : 'created';
  const rejectionReason = clean(application?.rejection_reason?.name);
  if (rejectionReason) facts.rejectionReason = rejectionReason;

  const url = greenhouseUrl(application?.url) ?? greenhouseUrl(candidate?.url);
  const title = [candidateName ?? `Greenhouse application ${applicationId}`, jobName].filter(Boolean).join(' · ');
  const occurredAt =
    isoOrUndefined(offer?.updated_at) ??
    isoOrUndefined(offer?.created_at) ??
    isoOrUndefined(application?.updated_at) ??
    isoOrUndefined(application?.last_activity_at) ??
    new Date(0).toISOString();

  const event = applicationEvent({
    source: 'greenhouse',
    type: greenhouseActionTypes[action],
    id: eventId('greenhouse', deliveryId),
    deliveryId,
    occurredAt,
    applicationId,
    title,
    url,
    linkLabel: 'Greenhouse application',
    recruiter,
    hiringManager,
    facts,
  });
  return { ignored: false, events: [event] };
}

function idOrNull(value: string | number | null | undefined): string | null {
  return value == null ? null : String(value);
}

type Person = { first_name?: string | null; last_name?: string | null; name?: string | null };

function personName(person: Person | null | undefined): string | undefined {
  if (!person) return undefined;
  return clean(person.name) ?? clean([person.first_name, person.last_name].filter(Boolean).join(' '));
}

function firstName(people: Person[] | null | undefined): string | undefined {
  for (const person of people ?? []) {
    const name = personName(person);
    if (name) return name;
  }
  return undefined;
}

function greenhouseUrl(value: string | null | undefined): string | undefined {
  return vendorUrl(value, 'greenhouse.io');
}
