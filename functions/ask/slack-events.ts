import { describeIssue } from '../core/schema-error';
import * as z from 'zod/mini';
import type { CanonicalEvent } from '../core/canonical-event';
import { ASSISTANT_THREAD_STARTED, QUESTION_ASKED } from '../core/routing';

/*
 * The Slack Events API body (https://docs.slack.dev/apis/events-api/): a `url_verification`
 * challenge once, then `event_callback`s. Only the fields the service reads are declared;
 * everything else Slack sends is ignored, so new fields never break parsing.
 */

/** The event subscriptions the service handles; the Slack manifest subscribes to exactly these. */
export const HANDLED_SLACK_EVENTS = ['app_mention', 'message.im', 'assistant_thread_started'] as const;

export { ASSISTANT_THREAD_STARTED, QUESTION_ASKED };
export const SLACK_EVENT_SOURCE = 'slack';

const challengeSchema = z.object({ type: z.literal('url_verification'), challenge: z.string().check(z.minLength(1), z.maxLength(500)) });

const innerEventSchema = z.object({
  type: z.string().check(z.maxLength(100)),
  subtype: z.optional(z.string().check(z.maxLength(100))),
  user: z.optional(z.string().check(z.maxLength(50))),
  bot_id: z.optional(z.string().check(z.maxLength(50))),
  bot_profile: z.optional(z.unknown()),
  text: z.optional(z.string().check(z.maxLength(40_000))),
  ts: z.optional(z.string().check(z.maxLength(50))),
  thread_ts: z.optional(z.string().check(z.maxLength(50))),
  channel: z.optional(z.string().check(z.maxLength(50))),
  channel_type: z.optional(z.string().check(z.maxLength(50))),
  assistant_thread: z.optional(
    z.object({
      user_id: z.optional(z.string().check(z.maxLength(50))),
      channel_id: z.string().check(z.maxLength(50)),
      thread_ts: z.string().check(z.maxLength(50)),
    }),
  ),
});

const callbackSchema = z.object({
  type: z.literal('event_callback'),
  event_id: z.string().check(z.minLength(1), z.maxLength(100)),
  event_time: z.int().check(z.positive()),
  team_id: z.optional(z.string().check(z.maxLength(50))),
  /** Who the event is delivered to: the app's own bot user is among them. */
  authorizations: z.optional(
    z.array(z.object({ user_id: z.optional(z.string().check(z.maxLength(50))), is_bot: z.optional(z.boolean()) })).check(z.maxLength(20)),
  ),
  event: innerEventSchema,
});

export type SlackEventsBody = z.infer<typeof challengeSchema> | z.infer<typeof callbackSchema>;

/** What a verified Slack Events request asks of the service. */
export type SlackEventAction =
  { kind: 'challenge'; challenge: string } | { kind: 'event'; eventId: string; event: CanonicalEvent } | { kind: 'ignored'; eventId?: string; reason: string };

export class SlackEventsPayloadError extends Error {
  override readonly name = 'SlackEventsPayloadError';
}

/** Longest question kept: a question is a sentence or two, not a document. */
export const MAX_QUESTION_CHARS = 1000;

/** Parses a verified body; throws `SlackEventsPayloadError` naming the problem when it is not an Events API body. */
export function parseSlackEvent(body: Uint8Array): SlackEventAction {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    throw new SlackEventsPayloadError('body is not valid UTF-8 JSON');
  }
  const challenge = challengeSchema.safeParse(json);
  if (challenge.success) return { kind: 'challenge', challenge: challenge.data.challenge };
  const parsed = callbackSchema.safeParse(json);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw new SlackEventsPayloadError(`not an Events API callback (${issue ? describeIssue(issue, '', 'body') : 'unknown shape'})`);
  }
  return classify(parsed.data);
}

function classify(body: z.infer<typeof callbackSchema>): SlackEventAction {
  const { event, event_id: eventId } = body;
  const ignored = (reason: string): SlackEventAction => ({ kind: 'ignored', eventId, reason });
  const occurredAt = new Date(body.event_time * 1000).toISOString();
  const base = { id: `slack:${eventId}`, source: SLACK_EVENT_SOURCE, occurredAt, deliveryId: eventId, links: [] };

  if (event.type === 'assistant_thread_started') {
    const thread = event.assistant_thread;
    if (!thread) return ignored('assistant_thread_started without assistant_thread');
    return {
      kind: 'event',
      eventId,
      event: {
        ...base,
        type: ASSISTANT_THREAD_STARTED,
        subject: { kind: 'assistant-thread', id: `${thread.channel_id}:${thread.thread_ts}`, title: 'Assistant thread opened' },
        actors: thread.user_id ? [{ role: 'asker', name: thread.user_id, id: thread.user_id }] : [],
        facts: { channel: thread.channel_id, threadTs: thread.thread_ts, user: thread.user_id ?? null },
      },
    };
  }

  const isMention = event.type === 'app_mention';
  const isDirect = event.type === 'message' && event.channel_type === 'im';
  if (!isMention && !isDirect) return ignored(`event type ${event.type}${event.channel_type ? ` in ${event.channel_type}` : ''} is not handled`);
  // The app's own posts (and any other bot's) come back as events: answering them would loop.
  const ownUsers = new Set((body.authorizations ?? []).filter((a) => a.is_bot && a.user_id).map((a) => a.user_id));
  if (event.bot_id || event.bot_profile !== undefined) return ignored('posted by a bot');
  if (event.user && ownUsers.has(event.user)) return ignored('posted by this app');
  // Edits, joins, deletions, thread broadcasts: none is a new question.
  if (event.subtype) return ignored(`message subtype ${event.subtype}`);
  if (!event.user || !event.channel || !event.ts) return ignored('no user, channel or ts');
  const question = questionText(event.text ?? '');
  if (!question) return ignored('empty question');

  // A mention is answered in its thread (its own, or the thread it was written in); a direct
  // message in its thread when it has one (the assistant pane), else in the conversation.
  const threadTs = isMention ? (event.thread_ts ?? event.ts) : event.thread_ts;
  // The message's own ts is when it was asked, to the microsecond (event_time is whole seconds).
  const askedAt = Number(event.ts) > 0 ? new Date(Math.floor(Number(event.ts) * 1000)).toISOString() : occurredAt;
  return {
    kind: 'event',
    eventId,
    event: {
      ...base,
      occurredAt: askedAt,
      type: QUESTION_ASKED,
      subject: { kind: 'question', id: eventId, title: question },
      actors: [{ role: 'asker', name: event.user, id: event.user }],
      facts: {
        channel: event.channel,
        channelType: isMention ? (event.channel_type ?? 'channel') : 'im',
        via: isMention ? 'app_mention' : 'message.im',
        user: event.user,
        messageTs: event.ts,
        threadTs: threadTs ?? null,
        // Only a direct message's own thread is an assistant thread, where a status can be shown.
        assistantThread: isDirect && event.thread_ts !== undefined,
      },
    },
  };
}

/** The question without the mention of the app (`<@U0APP> what needs me?` → `what needs me?`), bounded. */
export function questionText(text: string): string {
  return text
    .replace(/<@[UW][A-Z0-9]+(?:\|[^>]*)?>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_QUESTION_CHARS);
}
