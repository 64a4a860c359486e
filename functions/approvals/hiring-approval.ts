/**
 * Hiring approvals (offers) carry a candidate's name in their subject. Anything read outside a
 * hiring viewer's direct message (the weekly update to the E-staff, an answer in a channel) shows
 * them without it; so does the morning digest.
 */

/** An offer, or any approval opened by an applicant-tracking source. */
export function isHiringApproval(approval: { kind: string; subjectId?: string }): boolean {
  return /offer/i.test(approval.kind) || /^(greenhouse|lever|ashby):/.test(approval.subjectId ?? '');
}

/** What a hiring approval is called where candidates may not be named. */
export const UNNAMED_OFFER = 'an offer';

/** The subject to show a reader who may not see candidates' names. */
export function subjectWithoutCandidate(approval: { kind: string; subject: string; subjectId?: string }): string {
  return isHiringApproval(approval) ? UNNAMED_OFFER : approval.subject;
}
