import type { FactValue } from '../../core/canonical-event';
import { applicationEvent, clean, eventId, isoOrUndefined, vendorUrl } from '../hiring-helpers';
import { parseOrExplain } from '../schema-error';
import { type Normalized, PayloadInvalidError } from '../types';
import { type AshbyApplication, type AshbyOffer, ashbyApplicationSchema, ashbyDataSchema, ashbyEnvelopeSchema, ashbyOfferSchema } from './schema';

/** Ashby `action` → canonical event type. Everything else (incl. `ping`) is ignored. */
export const ashbyActionTypes = {
  candidateStageChange: 'candidate.stage_changed',
  applicationUpdate: 'candidate.stage_changed',
  offerCreate: 'candidate.offer_created',
  candidateHire: 'candidate.hired',
} as const satisfies Record<string, string>;

type HandledAction = keyof typeof ashbyActionTypes;

function isHandled(action: string): action is HandledAction {
  return Object.hasOwn(ashbyActionTypes, action);
}

/**
 * Ashby sends no delivery header, and one user action fans out into several related
 * webhooks sharing a `webhookActionId`, so a delivery is identified by id plus action.
 */
export function ashbyDeliveryId(payload: unknown): string | undefined {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return undefined;
  const { action, webhookActionId } = payload as Record<string, unknown>;
  if (typeof action !== 'string' || !action) return undefined;
  if (typeof webhookActionId !== 'string' || !webhookActionId) {
    // A ping may carry no action id; it is answered as ignored and never stored.
    return action === 'ping' ? 'ping' : undefined;
  }
  const id = `${webhookActionId}:${action}`;
  return id.length <= 200 ? id : undefined;
}

/**
 * Maps an Ashby delivery to one canonical candidate event. Candidate email, phone, address
 * and social links are never read; every copied string passes through `maskPersonalText`.
 * `applicationUpdate` also fires for field edits, hires and stage changes, so it only counts
 * as a stage change when it carries a previous stage that differs from the current one.
 */
export function normalizeAshbyEvent(payload: unknown, deliveryId: string): Normalized {
  const { action, data } = parseOrExplain(ashbyEnvelopeSchema, payload, '');
  if (!isHandled(action)) return { ignored: true, reason: `Ashby action ${action} is not used by this service` };
  const inner = parseOrExplain(ashbyDataSchema, data ?? {}, 'data');

  let application: AshbyApplication | undefined;
  let offer: AshbyOffer | undefined;
  if (action === 'offerCreate') {
    if (inner.offer == null) throw new PayloadInvalidError('data.offer: required for offerCreate');
    offer = parseOrExplain(ashbyOfferSchema, inner.offer, 'data.offer');
    if (inner.application != null) {
      application = parseOrExplain(ashbyApplicationSchema, inner.application, 'data.application');
    }
  } else {
    if (inner.application == null) throw new PayloadInvalidError(`data.application: required for ${action}`);
    application = parseOrExplain(ashbyApplicationSchema, inner.application, 'data.application');
  }

  const applicationId = application?.id ?? offer?.applicationId;
  if (!applicationId) throw new PayloadInvalidError('data.offer.applicationId: required for offerCreate');

  const toStage = clean(application?.currentInterviewStage?.title);
  const fromStage = clean(inner.previousInterviewStage?.title ?? application?.previousInterviewStage?.title);
  if (action === 'applicationUpdate' && (!fromStage || fromStage === toStage)) {
    return { ignored: true, reason: 'Ashby applicationUpdate without a stage change (candidateStageChange covers those)' };
  }

  const job = application?.job;
  const jobName = clean(job?.title);
  const candidateName = clean(application?.candidate?.name);
  const recruiter = teamMember(application, /recruit/i);
  const hiringManager = teamMember(application, /hiring\s*manager/i);

  const facts: Record<string, FactValue> = {
    applicationId,
    candidateId: application?.candidate?.id ?? null,
    job: jobName ?? null,
    jobId: job?.id ?? null,
    department: clean(job?.departmentName ?? job?.department?.name) ?? null,
    toStage: toStage ?? null,
    fromStage: fromStage ?? null,
    recruiter: recruiter ?? null,
    hiringManager: hiringManager ?? null,
  };
  if (offer) facts.offerStatus = 'created';
  const rejectionReason = clean(application?.archiveReason?.text);
  if (rejectionReason) facts.rejectionReason = rejectionReason;

  const url = ashbyUrl(application?.candidate?.profileUrl);
  const title = [candidateName ?? `Ashby application ${applicationId}`, jobName].filter(Boolean).join(' · ');
  const occurredAt =
    isoOrUndefined(offer?.latestVersion?.createdAt) ??
    isoOrUndefined(application?.updatedAt) ??
    isoOrUndefined(application?.createdAt) ??
    new Date(0).toISOString();

  const event = applicationEvent({
    source: 'ashby',
    type: ashbyActionTypes[action],
    id: eventId('ashby', deliveryId),
    deliveryId,
    occurredAt,
    applicationId,
    title,
    url,
    linkLabel: 'Ashby candidate',
    recruiter,
    hiringManager,
    facts,
  });
  return { ignored: false, events: [event] };
}

function teamMember(application: AshbyApplication | undefined, role: RegExp): string | undefined {
  for (const member of application?.hiringTeam ?? []) {
    if (!member.role || !role.test(member.role)) continue;
    const name = clean([member.firstName, member.lastName].filter(Boolean).join(' '));
    if (name) return name;
  }
  return undefined;
}

function ashbyUrl(value: string | null | undefined): string | undefined {
  return vendorUrl(value, 'ashbyhq.com');
}
