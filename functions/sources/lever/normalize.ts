import type { CanonicalEvent, FactValue } from '../../core/canonical-event';
import { applicationEvent, clean } from '../hiring-helpers';
import { parseOrExplain } from '../schema-error';
import type { Normalized } from '../types';
import { type LeverData, type LeverEnvelope, type LeverNamed, leverDataSchema, leverEnvelopeSchema, leverStageChangeDataSchema } from './schema';

/** Lever event names we use, and the canonical type each becomes. */
export const leverEventTypes = {
  candidateStageChange: 'candidate.stage_changed',
  candidateHired: 'candidate.hired',
  applicationCreated: 'candidate.application_created',
} as const;

export type HandledLeverEvent = keyof typeof leverEventTypes;

function isHandled(event: string): event is HandledLeverEvent {
  return Object.hasOwn(leverEventTypes, event);
}

/**
 * Maps a Lever webhook body to one canonical candidate event; other Lever events
 * (`candidateDeleted`, `candidateArchiveChange`, interview events, …) are ignored with a reason.
 * Only ids, stage/job/department names and people's names are read: candidate contact data
 * (emails, phones, addresses, links) is never copied into the event.
 */
export function normalizeLeverEvent(payload: unknown, deliveryId: string): Normalized {
  const envelope = parseOrExplain(leverEnvelopeSchema, payload, '');
  const { event } = envelope;
  if (!isHandled(event)) {
    return { ignored: true, reason: `Lever event ${event} is not used by this service` };
  }
  const data =
    event === 'candidateStageChange'
      ? parseOrExplain(leverStageChangeDataSchema, envelope.data, 'data')
      : parseOrExplain(leverDataSchema, envelope.data, 'data');
  return { ignored: false, events: [toCanonical(envelope, event, data, deliveryId)] };
}

function toCanonical(envelope: LeverEnvelope, event: HandledLeverEvent, data: LeverData, deliveryId: string): CanonicalEvent {
  const opportunityId = data.opportunityId ?? undefined;
  const candidateName = nameOf(data.candidateName ?? data.candidate?.name);
  const recruiter = nameOf(data.recruiter);
  const hiringManager = nameOf(data.hiringManager);
  const posting = data.posting ?? data.job;

  const facts: Record<string, FactValue> = {
    applicationId: opportunityId ?? null,
    candidateId: data.candidateId,
    job: nameOf(posting),
    jobId: data.postingId ?? idOf(posting),
    department: nameOf(data.department),
    toStage: nameOf(data.toStage),
    fromStage: nameOf(data.fromStage),
    recruiter,
    hiringManager,
  };
  if (event === 'candidateStageChange') {
    facts.fromStageId = data.fromStageId ?? idOf(data.fromStage);
    facts.toStageId = data.toStageId ?? idOf(data.toStage);
  }

  const reference = opportunityId ? `Lever opportunity ${opportunityId}` : `Lever candidate ${data.candidateId}`;
  return applicationEvent({
    source: 'lever',
    type: leverEventTypes[event],
    id: `lever:${envelope.token}`,
    deliveryId,
    occurredAt: new Date(envelope.triggeredAt).toISOString(),
    applicationId: opportunityId ?? data.candidateId,
    title: candidateName ? `${candidateName} (${reference})` : reference,
    recruiter,
    hiringManager,
    facts,
  });
}

/** A readable name from a string or `{ text | name }`, masked and trimmed; null when absent. */
function nameOf(value: LeverNamed | null | undefined): string | null {
  return clean(typeof value === 'string' ? value : (value?.text ?? value?.name)) ?? null;
}

function idOf(value: LeverNamed | null | undefined): string | null {
  return value && typeof value === 'object' ? (value.id ?? null) : null;
}
