import { errorResponse, type HttpRequest, type HttpResponse } from '../core/http';
import type { ApprovalStore } from '../ports/approval-store';
import type { EventBus } from '../ports/bus';
import type { Chat } from '../ports/chat';
import type { Clock } from '../ports/clock';
import type { Secrets } from '../ports/secrets';
import type { Outbox } from '../ports/outbox';
import { MAX_INTERACTION_BODY_BYTES, parseSlackInteraction, SlackPayloadError } from '../slack/inbound/interaction-payload';
import { refuseUnverifiedSlackRequest } from '../slack/inbound/slack-request';
import { type Approval, approvalEvent, refusal, refusalEvent } from './approval';
import { reviseRequest } from './approval-worker';
import { APPROVE_ACTION, REASON_ACTION, REASON_BLOCK, REJECT_ACTION, REJECT_REASON_CALLBACK } from './render-approval';

export interface InteractionDeps {
  approvals: ApprovalStore;
  /** Only to open the reason modal; the request message is revised through the outbox. */
  chat: Pick<Chat, 'openModal'>;
  outbox: Outbox;
  bus: EventBus;
  clock: Clock;
  /** Holds `SLACK_SIGNING_SECRET`, read per request (cached) so a rotation is followed. */
  secrets: Secrets;
  log?: (message: string, detail: Record<string, unknown>) => void;
}

const OK: HttpResponse = { status: 200, body: {} };

/**
 * `POST /slack/interactions`: verify Slack's signature over the raw body, then act on an
 * Approve or Reject click or the rejection-reason modal. Only fast work happens here (one
 * conditional write, one publish; for Reject, opening the modal, which Slack requires within
 * 3 seconds of the click): updating the message, telling a refused clicker and the Jira
 * write-back run in the approval worker after this answers.
 */
export async function handleSlackInteraction(request: HttpRequest, deps: InteractionDeps): Promise<HttpResponse> {
  const refused = await refuseUnverifiedSlackRequest(request, {
    what: 'interactions',
    maxBytes: MAX_INTERACTION_BODY_BYTES,
    secrets: deps.secrets,
    clock: deps.clock,
  });
  if (refused) return refused;
  let interaction: ReturnType<typeof parseSlackInteraction>;
  try {
    interaction = parseSlackInteraction(request.body);
  } catch (error) {
    if (error instanceof SlackPayloadError) return errorResponse(400, `invalid interaction: ${error.message}`);
    throw error;
  }

  if (interaction.type === 'block_actions') {
    if (interaction.actionId === APPROVE_ACTION) {
      await decide(interaction.value, interaction.userId, 'approve', undefined, deps);
    } else if (interaction.actionId === REJECT_ACTION) {
      await askForReason(interaction.value, interaction.userId, interaction.triggerId, deps);
    }
    // Any other action (a link button) needs nothing from us.
    return OK;
  }
  if (interaction.callbackId !== REJECT_REASON_CALLBACK) return OK;
  const reason = (interaction.values[`${REASON_BLOCK}.${REASON_ACTION}`] ?? '').trim();
  if (reason.length < 3) {
    // Keeps the modal open with the problem shown under the field.
    return { status: 200, body: { response_action: 'errors', errors: { [REASON_BLOCK]: 'Please give a reason (at least 3 characters).' } } };
  }
  await decide(interaction.privateMetadata, interaction.userId, 'reject', reason, deps);
  return OK;
}

/** Opens the reason modal for an approver; anyone else is refused as for Approve. */
async function askForReason(approvalId: string, user: string, triggerId: string, deps: InteractionDeps): Promise<void> {
  const approval = await deps.approvals.get(approvalId);
  if (!approval) return;
  const why = refusal(approval, user, deps.clock.now());
  if (why) {
    await refuse(approval, user, 'reject', why, deps);
    return;
  }
  await deps.chat.openModal(triggerId, {
    callbackId: REJECT_REASON_CALLBACK,
    privateMetadata: approval.id,
    title: 'Reject request',
    prompt: `Why are you rejecting "${approval.subject.key ?? approval.subject.title.slice(0, 80)}"? The requester will see this.`,
    submitLabel: 'Reject',
    inputBlockId: REASON_BLOCK,
    inputActionId: REASON_ACTION,
  });
}

/** The decision: authorised, then one conditional write; every other outcome is audited as refused. */
async function decide(approvalId: string, user: string, action: 'approve' | 'reject', reason: string | undefined, deps: InteractionDeps): Promise<void> {
  const approval = await deps.approvals.get(approvalId);
  if (!approval) {
    deps.log?.('interaction for an unknown approval', { approvalId });
    return;
  }
  const why = refusal(approval, user, deps.clock.now());
  if (why) {
    await refuse(approval, user, action, why, deps);
    return;
  }
  const result = await deps.approvals.transition(
    approvalId,
    { to: action === 'approve' ? 'approved' : 'rejected', action, actor: user, at: deps.clock.now(), ...(reason ? { reason } : {}) },
    approval,
  );
  if (result.applied) {
    try {
      await deps.bus.publish([approvalEvent(result.approval)]);
    } catch (error) {
      // The decision stands. Without the event the worker will not refresh the message, so do
      // the one thing that matters to the reader here: show the outcome and remove the buttons.
      deps.log?.('approval.decided not published; updating the message inline', { approvalId, error: error instanceof Error ? error.message : String(error) });
      await reviseRequest(result.approval, deps.outbox);
    }
    return;
  }
  // Lost a race with another click (or the expiry): this attempt is refused and recorded.
  if (result.approval) await refuse(result.approval, user, action, `already_${result.approval.status}`, deps);
}

async function refuse(approval: Approval, user: string, action: 'approve' | 'reject', why: string, deps: InteractionDeps): Promise<void> {
  const now = deps.clock.now();
  await deps.approvals.recordRefusal(approval, { at: now.toISOString(), actor: user, action, detail: why });
  await deps.bus.publish([refusalEvent(approval, user, why, now)]);
}
