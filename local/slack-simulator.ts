import type { Hono } from 'hono';
import type { InboxChat } from '../functions/adapters/inbox-chat';
import { buildBlockActionsBody, buildViewSubmissionBody } from './slack-interaction-payloads';
import { signSlackRequest } from '../functions/slack/inbound/verify-slack-signature';

/** Who the local user can act as: the dev approver, and someone who is not one (to see a refusal). */
export const LOCAL_APPROVER = 'U0LOCALVP';
export const LOCAL_NON_APPROVER = 'U0LOCALGUEST';

export interface SimulatorOptions {
  /** Where the service's own `POST /slack/interactions` is (this process). */
  interactionsUrl: () => string;
  signingSecret: string;
  inbox: InboxChat;
}

/**
 * Local-only routes behind the inbox page's buttons. Each builds the interaction Slack would
 * send (same form encoding and payload shape), signs it with the signing secret the way Slack
 * does, and posts it over HTTP to `/slack/interactions`, so a local click goes through the
 * production verification and handling. Then it returns to the inbox.
 */
export function addSlackSimulator(app: Hono, options: SimulatorOptions): void {
  const send = async (body: string): Promise<{ status: number; body: unknown }> => {
    const response = await fetch(options.interactionsUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...signSlackRequest(body, options.signingSecret, new Date()) },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    return { status: response.status, body: await response.json().catch(() => undefined) };
  };
  const back = (as: string, status: number) => `/?as=${encodeURIComponent(as)}&slack=${status}`;

  app.post('/local/slack/click', async (c) => {
    const form = await c.req.parseBody();
    const as = String(form.as || LOCAL_APPROVER);
    const { status } = await send(
      buildBlockActionsBody({
        userId: as,
        actionId: String(form.actionId ?? ''),
        value: String(form.value ?? ''),
        channelId: String(form.channel ?? ''),
        messageTs: String(form.ts ?? ''),
        // In Slack a trigger id belongs to the user who clicked; here it names them.
        triggerId: localTriggerId(as),
      }),
    );
    return c.redirect(back(as, status), 303);
  });

  app.post('/local/slack/submit', async (c) => {
    const form = await c.req.parseBody();
    const as = String(form.as || LOCAL_APPROVER);
    const modal = options.inbox.modals.get(String(form.triggerId ?? ''));
    if (!modal || !modal.triggerId.startsWith(localTriggerId(as, ''))) return c.redirect(back(as, 404), 303);
    const { status, body } = await send(
      buildViewSubmissionBody({
        userId: as,
        callbackId: modal.callbackId,
        privateMetadata: modal.privateMetadata,
        values: { [modal.inputBlockId]: { [modal.inputActionId]: String(form.text ?? '') } },
      }),
    );
    // Slack keeps a modal open when the answer lists errors; so does the inbox, with the error shown.
    const errors = (body as { response_action?: string; errors?: Record<string, string> } | undefined)?.response_action === 'errors' ? (body as { errors?: Record<string, string> }).errors : undefined;
    if (errors) modal.error = Object.values(errors).join(' ');
    else options.inbox.modals.delete(modal.triggerId);
    return c.redirect(back(as, status), 303);
  });
}

/** `local.<user>.<random>`: the inbox shows a modal only to the user whose click opened it. */
export function localTriggerId(user: string, suffix = `${Date.now()}.${Math.random().toString(16).slice(2, 10)}`): string {
  return `local.${user}.${suffix}`;
}
