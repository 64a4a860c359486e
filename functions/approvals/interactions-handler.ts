import { httpApiHandler } from '../core/api-gateway';
import { logTo } from '../core/logger';
import { systemClock } from '../ports/clock';
import { once } from '../core/once';
import { parseSlackInteraction } from '../slack/inbound/interaction-payload';
import { approvalOutbox, approvals, bus, secrets, slackChat } from './approval-deps';
import { handleSlackInteraction, type InteractionDeps } from './interactions';

const dependencies = once<InteractionDeps>(async () => {
  // Slack is loaded only by a click that needs it (Reject's modal, or the fallback when the publish fails).
  const chat = slackChat({ fast: true });
  return {
    approvals,
    bus,
    chat,
    outbox: approvalOutbox(chat),
    clock: systemClock,
    secrets,
    log: logTo('warn'),
  };
});

/** API Gateway HTTP API adapter for `POST /slack/interactions`. */
export const handler = httpApiHandler(
  'interaction',
  async (request) => handleSlackInteraction(request, await dependencies()),
  (request) => approvalIdOf(request.body),
);

/** The approval a click or modal is about (button value, modal metadata); read before verification, so a log key only. */
function approvalIdOf(body: Uint8Array): string | undefined {
  try {
    const interaction = parseSlackInteraction(body);
    const id = interaction.type === 'block_actions' ? interaction.value : interaction.privateMetadata;
    return id ? `approval:${id.slice(0, 150)}` : undefined;
  } catch {
    return undefined;
  }
}
