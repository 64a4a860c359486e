import { formatInstant } from '../core/durations';
import type { WriteRequestOf } from '../ports/writer';
import type { Approval } from './approval';

/** Why an expired approval is escalated: the same words in its thread and in the escalation channel. */
export function expiryReason(approval: Approval): string {
  return `No decision on this ${approval.kind} before its deadline, ${formatInstant(approval.deadline)}`;
}

/**
 * The escalation document of an approval that expired undecided. One builder for both posts
 * (the reply in the request's thread and the message in the escalation channel), so they
 * carry the same facts.
 */
export function approvalEscalationRequest(approval: Approval): WriteRequestOf<'escalation'> {
  const approvers = approval.approvers.length > 0 ? approval.approvers.join(', ') : 'nobody (no approvers are configured)';
  return {
    kind: 'escalation',
    facts: {
      subject: approval.subject.key ?? approval.id,
      approvalKind: approval.kind,
      reason: expiryReason(approval),
      known: [
        `Opened at ${formatInstant(approval.createdAt)}${approval.requester ? ` for ${approval.requester}` : ''}.`,
        `Deadline: ${formatInstant(approval.deadline)}; it passed with no decision.`,
        `Approvers: ${approvers}.`,
      ],
      needed: 'decide, or agree a new deadline with the requester',
      neededFrom: 'the approvers or the VP of Engineering',
      deadline: null,
      stakeholderNote: `A ${approval.kind} request is waiting for a decision past its deadline. Engineering leadership has been asked to decide or to agree a new date with the requester.`,
    },
    untrusted: { title: approval.subject.title },
    links: approval.subject.url ? [{ label: approval.subject.key ?? 'Source', url: approval.subject.url }] : [],
  };
}
