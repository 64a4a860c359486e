import type { CanonicalEvent } from '../core/canonical-event';
import type { Approval } from '../approvals/approval';
import { formatInstant } from '../incidents/durations';
import type { ApprovalStore } from '../ports/approval-store';
import type { WriteRequest } from '../ports/writer';
import { escalateOnce, type EscalationWorkerDeps } from './escalation-worker';

export type ApprovalEscalationDeps = Pick<EscalationWorkerDeps, 'escalations' | 'outbox' | 'clock' | 'config' | 'writer'> & { approvals: ApprovalStore };

/**
 * An approval that expired undecided is escalated to the escalation channel too (its own
 * thread is the approval worker's), once, through the same exactly-once and storm flow as
 * incidents. The approval is read again first: only one that is still expired escalates.
 */
export async function handleApprovalExpired(event: CanonicalEvent, deps: ApprovalEscalationDeps): Promise<void> {
  if (event.type !== 'approval.expired') return;
  const approval = await deps.approvals.get(event.subject.id);
  if (!approval || approval.status !== 'expired') return;
  const label = [approval.kind, approval.subject.key].filter(Boolean).join(' ');
  await escalateOnce(
    {
      key: `approval#${approval.id}`,
      rule: 'approval-expired',
      reason: expiryReason(approval),
      label,
      title: approval.subject.title,
      ...(approval.subject.url ? { url: approval.subject.url } : {}),
      write: () => deps.writer.write(approvalEscalationRequest(approval)),
    },
    deps,
  );
}

function expiryReason(approval: Approval): string {
  return `No decision on this ${approval.kind} before its deadline, ${formatInstant(approval.deadline)}`;
}

/** Facts for the escalation document of an expired approval, computed here. */
export function approvalEscalationRequest(approval: Approval): WriteRequest {
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
      needed: 'A decision, or a new deadline agreed with the requester',
      neededFrom: 'the approvers, or the VP of Engineering',
      deadline: null,
      stakeholderNote: `A ${approval.kind} request is waiting for a decision past its deadline. Engineering leadership has been asked to decide or to agree a new date with the requester.`,
    },
    untrusted: { title: approval.subject.title },
    links: approval.subject.url ? [{ label: approval.subject.key ?? 'Source', url: approval.subject.url }] : [],
  };
}
