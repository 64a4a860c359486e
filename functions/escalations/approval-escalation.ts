import type { CanonicalEvent } from '../core/canonical-event';
import type { ApprovalStore } from '../ports/approval-store';
import { approvalEscalationRequest, expiryReason } from '../approvals/approval-escalation-request';
import { type EscalateDeps, escalateOnce } from './escalate-once';
import type { Writer } from '../ports/writer';

export type ApprovalEscalationDeps = EscalateDeps & { writer: Writer; approvals: ApprovalStore };

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
