import type { CanonicalEvent } from './canonical-event';
import { positiveInt } from './env';
import { LambdaEnv } from './lambda-env';

/** Delivery records exist for de-duplication; senders retry for up to 48 h, so a month is ample. */
export const DELIVERY_RETENTION_DAYS = 30;

/** How long records derived from applicant-tracking data are kept unless configured otherwise. */
export const DEFAULT_HIRING_RETENTION_DAYS = 180;

const DAY_MS = 86_400_000;

export function hiringRetentionDays(env: Readonly<Record<string, string | undefined>>): number {
  return positiveInt(env, LambdaEnv.hiringRetentionDays, DEFAULT_HIRING_RETENTION_DAYS);
}

export function daysAfter(instant: Date, days: number): Date {
  return new Date(instant.getTime() + days * DAY_MS);
}

/** Events about a job application come from an applicant-tracking system and concern a person. */
export function isHiringEvent(event: CanonicalEvent): boolean {
  return event.subject.kind === 'application';
}

/**
 * `<source>:<candidateId>`: the key a GDPR erasure is asked for (`npm run forget -- --candidate`),
 * carried by every record about that candidate.
 */
export function candidateKeyOf(event: CanonicalEvent): string | undefined {
  const id = event.facts.candidateId;
  return isHiringEvent(event) && typeof id === 'string' && id.length > 0 ? candidateKey(event.source, id) : undefined;
}

export function candidateKey(source: string, candidateId: string): string {
  return `${source}:${candidateId}`;
}
