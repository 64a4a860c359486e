import type { Hono } from 'hono';
import type { InboxChat } from '../functions/adapters/inbox-chat';
import type { KnownBlock } from '../functions/ports/chat';
import { buildBlockActionsBody, buildViewSubmissionBody } from './slack-interaction-payloads';
import { signSlackRequest } from '../functions/slack/inbound/verify-slack-signature';

/** Who the local user can act as: the dev approver, and someone who is not one (to see a refusal). */
export const LOCAL_APPROVER = 'U0LOCALVP';
export const LOCAL_NON_APPROVER = 'U0LOCALGUEST';

/** Where the inbox's Ask box posts: a channel the app is mentioned in, and the local user's direct messages with it. */
export const LOCAL_ASK_CHANNEL = '#leadership';
export const LOCAL_DM_CHANNEL = 'D0LOCALDM';
/** The app's own bot user, as Slack names it in every event's `authorizations`. */
export const LOCAL_BOT_USER = 'U0LOCALBOT';

export interface SimulatorOptions {
  /** Where the service's own `POST /slack/interactions` is (this process). */
  interactionsUrl: () => string;
  /** Where the service's own `POST /slack/events` is (this process). */
  eventsUrl: () => string;
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

  // The Ask box: the question appears in the inbox as the user's message, then Slack's event for it
  // (an app_mention in a channel, or a direct message) is signed and posted to /slack/events.
  const ask = async (as: string, text: string, direct: boolean) => {
    const channel = direct ? LOCAL_DM_CHANNEL : LOCAL_ASK_CHANNEL;
    const posted = await options.inbox.post({ channel, text: `<@${as}>: ${direct ? '' : `<@${LOCAL_BOT_USER}> `}${text}`, blocks: [] });
    const body = JSON.stringify(localQuestionEvent({ user: as, text, channel, ts: posted.ts, direct }));
    const response = await fetch(options.eventsUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signSlackRequest(body, options.signingSecret, new Date()) },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    return { status: response.status, channel, ts: posted.ts, direct };
  };
  app.post('/local/slack/ask', async (c) => {
    const form = await c.req.parseBody();
    const as = String(form.as || LOCAL_APPROVER);
    const text = String(form.question ?? '')
      .trim()
      .slice(0, 1000);
    if (!text) return c.redirect(back(as, 400), 303);
    const { status } = await ask(as, text, form.dm === 'on');
    return c.redirect(back(as, status), 303);
  });
  // For `npm run demo` and scripts: ask, wait for the answer (at most 15 s), and return it as text.
  app.post('/local/ask', async (c) => {
    const input = (await c.req.json().catch(() => ({}))) as { question?: unknown; as?: unknown; dm?: unknown };
    const text = typeof input.question === 'string' ? input.question.trim().slice(0, 1000) : '';
    if (!text) return c.json({ error: 'question is required' }, 400);
    const asked = await ask(typeof input.as === 'string' ? input.as : LOCAL_APPROVER, text, input.dm === true);
    const started = Date.now();
    for (;;) {
      const answer = repliesTo(options.inbox, asked.channel, asked.direct ? undefined : asked.ts, asked.ts)[0];
      if (answer) return c.json({ status: asked.status, answer: blocksText(answer.blocks), ms: Date.now() - started });
      if (Date.now() - started > 15_000) return c.json({ status: asked.status, error: 'no answer within 15 s' }, 504);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
  // The replies in a thread (or, without `ts`, the top-level messages after `after`), as JSON: what tests read.
  app.get('/local/slack/replies', (c) => {
    const replies = repliesTo(options.inbox, c.req.query('channel') ?? '', c.req.query('ts') || undefined, c.req.query('after') ?? '0');
    return c.json({ replies: replies.map((reply) => ({ ts: reply.ts, text: reply.text, blocks: blocksText(reply.blocks), postedAt: reply.postedAt })) });
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
    const errors =
      (body as { response_action?: string; errors?: Record<string, string> } | undefined)?.response_action === 'errors'
        ? (body as { errors?: Record<string, string> }).errors
        : undefined;
    if (errors) modal.error = Object.values(errors).join(' ');
    else options.inbox.modals.delete(modal.triggerId);
    return c.redirect(back(as, status), 303);
  });
}

/** `local.<user>.<random>`: the inbox shows a modal only to the user whose click opened it. */
export function localTriggerId(user: string, suffix = `${Date.now()}.${Math.random().toString(16).slice(2, 10)}`): string {
  return `local.${user}.${suffix}`;
}

/** The Events API callback Slack sends for a question: an `app_mention`, or a `message` in a direct message. */
export function localQuestionEvent(question: {
  user: string;
  text: string;
  channel: string;
  ts: string;
  direct: boolean;
  threadTs?: string;
  eventId?: string;
}) {
  const event = question.direct
    ? { type: 'message', channel_type: 'im', channel: question.channel, user: question.user, text: question.text, ts: question.ts }
    : { type: 'app_mention', channel: question.channel, user: question.user, text: `<@${LOCAL_BOT_USER}> ${question.text}`, ts: question.ts };
  return {
    type: 'event_callback',
    team_id: 'T0LOCAL',
    event_id: question.eventId ?? `Ev0LOCAL${question.ts.replace('.', '')}`,
    event_time: Math.floor(Number(question.ts)),
    authorizations: [{ user_id: LOCAL_BOT_USER, is_bot: true }],
    event: { ...event, ...(question.threadTs ? { thread_ts: question.threadTs } : {}) },
  };
}

/** The app's messages in `channel`: in the thread `threadTs`, or at the top level after `after` (a direct message's answer). */
function repliesTo(inbox: InboxChat, channel: string, threadTs: string | undefined, after = '0') {
  return inbox
    .all()
    .filter((m) => m.channel === channel && (threadTs ? m.threadTs === threadTs : !m.threadTs && Number(m.ts) > Number(after) && m.blocks.length > 0));
}

/** Block Kit sections and context as plain lines (mrkdwn left as is). */
function blocksText(blocks: readonly KnownBlock[]): string[] {
  return blocks.flatMap((block) => {
    if (block.type === 'section' && block.text) return [block.text.text];
    if (block.type === 'context') return block.elements.map((element) => ('text' in element ? element.text : ''));
    return [];
  });
}
