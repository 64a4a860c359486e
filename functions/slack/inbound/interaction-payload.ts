import * as z from 'zod/mini';
import { explainParse } from '../../core/schema-error';

/**
 * Slack interactivity payloads (https://api.slack.com/interactivity/handling#payloads).
 * Slack POSTs `application/x-www-form-urlencoded` with a single field, `payload`, holding
 * JSON. Only the two shapes this service acts on are accepted: a button click on a message
 * (`block_actions`) and a modal submission (`view_submission`). Schemas are loose: Slack adds
 * fields freely, and only the ones read here are checked.
 */

/** Largest form body accepted; a modal or message with the maximum number of blocks fits well within it. */
export const MAX_INTERACTION_BODY_BYTES = 1_000_000;
/** Slack's limit on a button's `value`. */
export const MAX_ACTION_VALUE_LENGTH = 2000;
/** Slack's limit on a plain-text input (`max_length` tops out at 3000), e.g. a rejection reason. */
export const MAX_INPUT_VALUE_LENGTH = 3000;
/** Slack's limit on a view's `private_metadata`. */
export const MAX_PRIVATE_METADATA_LENGTH = 3000;
/** Slack's limit on `action_id`, `block_id` and `callback_id`. */
export const MAX_IDENTIFIER_LENGTH = 255;
/** Slack modals hold at most 100 blocks. */
export const MAX_VIEW_BLOCKS = 100;
const MAX_ACTIONS_PER_BLOCK = 25;
const MAX_SLACK_ID_LENGTH = 64;
const MAX_URL_LENGTH = 2000;

/** A malformed or unsupported interaction; the message names the field and what was wrong. */
export class SlackPayloadError extends Error {
  override readonly name = 'SlackPayloadError';
}

export interface SlackBlockAction {
  type: 'block_actions';
  userId: string;
  userName?: string;
  teamId?: string;
  actionId: string;
  value: string;
  triggerId: string;
  responseUrl?: string;
  channelId?: string;
  messageTs?: string;
}

export interface SlackViewSubmission {
  type: 'view_submission';
  userId: string;
  callbackId: string;
  privateMetadata: string;
  /**
   * Text input values, keyed `${blockId}.${actionId}` and, when that action id is unambiguous
   * (used in one block only, and not equal to a qualified key), also by the bare `actionId`.
   * Inputs left empty (Slack sends `value: null`) and non-text inputs are absent.
   */
  values: Record<string, string>;
  triggerId?: string;
}

export type SlackInteraction = SlackBlockAction | SlackViewSubmission;

const slackId = z.string().check(z.minLength(1), z.maxLength(MAX_SLACK_ID_LENGTH));
const identifier = z.string().check(z.minLength(1), z.maxLength(MAX_IDENTIFIER_LENGTH));
const shortText = z.string().check(z.maxLength(MAX_IDENTIFIER_LENGTH));
const triggerId = z.string().check(z.minLength(1), z.maxLength(MAX_IDENTIFIER_LENGTH));
const httpUrl = z.url({ protocol: /^https?$/ }).check(z.maxLength(MAX_URL_LENGTH));

const userSchema = z.looseObject({
  id: slackId,
  username: z.optional(shortText),
  name: z.optional(shortText),
  team_id: z.optional(slackId),
});

const envelopeSchema = z.looseObject({ type: z.string().check(z.minLength(1)) });

const blockActionsSchema = z.looseObject({
  user: userSchema,
  team: z.nullish(z.looseObject({ id: slackId })),
  trigger_id: triggerId,
  response_url: z.optional(httpUrl),
  channel: z.nullish(z.looseObject({ id: slackId })),
  container: z.nullish(z.looseObject({ message_ts: z.optional(shortText), channel_id: z.optional(slackId) })),
  message: z.nullish(z.looseObject({ ts: z.optional(shortText) })),
  actions: z.array(z.looseObject({ action_id: identifier, value: z.string().check(z.maxLength(MAX_ACTION_VALUE_LENGTH)) })).check(z.minLength(1)),
});

const inputStateSchema = z.looseObject({ value: z.nullish(z.string().check(z.maxLength(MAX_INPUT_VALUE_LENGTH))) });
const blockStateSchema = z
  .record(identifier, inputStateSchema)
  .check(z.refine((block) => Object.keys(block).length <= MAX_ACTIONS_PER_BLOCK, `at most ${MAX_ACTIONS_PER_BLOCK} actions per block`));

const viewSubmissionSchema = z.looseObject({
  user: userSchema,
  trigger_id: z.optional(triggerId),
  view: z.looseObject({
    callback_id: shortText,
    private_metadata: z.optional(z.string().check(z.maxLength(MAX_PRIVATE_METADATA_LENGTH))),
    state: z.looseObject({
      values: z
        .record(identifier, blockStateSchema)
        .check(z.refine((values) => Object.keys(values).length <= MAX_VIEW_BLOCKS, `at most ${MAX_VIEW_BLOCKS} blocks`)),
    }),
  }),
});

/** Parses with `schema`, or throws a SlackPayloadError naming the first offending field (a missing one is "required"). */
function parseOrExplain<T extends z.core.$ZodType>(schema: T, value: unknown): z.infer<T> {
  return explainParse(schema, value, 'payload', (message) => new SlackPayloadError(message), {
    error: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'required' : undefined),
  });
}

/** The `payload` field's JSON from a form-encoded body. */
function payloadJson(rawBody: Uint8Array | string): unknown {
  const size = typeof rawBody === 'string' ? Buffer.byteLength(rawBody, 'utf8') : rawBody.byteLength;
  if (size > MAX_INTERACTION_BODY_BYTES) throw new SlackPayloadError(`body: larger than ${MAX_INTERACTION_BODY_BYTES} bytes`);
  let text: string;
  try {
    text = typeof rawBody === 'string' ? rawBody : new TextDecoder('utf-8', { fatal: true }).decode(rawBody);
  } catch {
    throw new SlackPayloadError('body: not UTF-8');
  }
  const fields = new URLSearchParams(text).getAll('payload');
  if (fields.length > 1) throw new SlackPayloadError('payload: repeated');
  const field = fields[0];
  if (field === undefined || field === '') throw new SlackPayloadError('payload: missing');
  try {
    return JSON.parse(field) as unknown;
  } catch {
    throw new SlackPayloadError('payload: not JSON');
  }
}

function flattenValues(state: z.infer<typeof viewSubmissionSchema>['view']['state']['values']): Record<string, string> {
  const qualified = new Map<string, string>();
  const bare = new Map<string, string[]>();
  for (const [blockId, block] of Object.entries(state)) {
    for (const [actionId, input] of Object.entries(block)) {
      if (typeof input.value !== 'string') continue;
      qualified.set(`${blockId}.${actionId}`, input.value);
      bare.set(actionId, [...(bare.get(actionId) ?? []), input.value]);
    }
  }
  const values = new Map(qualified);
  for (const [actionId, found] of bare) {
    const only = found.length === 1 ? found[0] : undefined;
    if (only !== undefined && !qualified.has(actionId)) values.set(actionId, only);
  }
  // fromEntries defines own properties, so a key like `__proto__` cannot touch the prototype.
  return Object.fromEntries(values);
}

/**
 * Parses a Slack interactivity request body (already signature-verified) into the fields this
 * service uses. Throws SlackPayloadError for anything malformed, oversized or of another type.
 */
export function parseSlackInteraction(rawBody: Uint8Array | string): SlackInteraction {
  const json = payloadJson(rawBody);
  const { type } = parseOrExplain(envelopeSchema, json);
  if (type === 'block_actions') {
    const payload = parseOrExplain(blockActionsSchema, json);
    const [action] = payload.actions;
    if (!action) throw new SlackPayloadError('payload.actions: required');
    const userName = payload.user.username ?? payload.user.name;
    const teamId = payload.team?.id ?? payload.user.team_id;
    const channelId = payload.channel?.id ?? payload.container?.channel_id;
    const messageTs = payload.container?.message_ts ?? payload.message?.ts;
    return {
      type: 'block_actions',
      userId: payload.user.id,
      ...(userName !== undefined && { userName }),
      ...(teamId !== undefined && { teamId }),
      actionId: action.action_id,
      value: action.value,
      triggerId: payload.trigger_id,
      ...(payload.response_url !== undefined && { responseUrl: payload.response_url }),
      ...(channelId !== undefined && { channelId }),
      ...(messageTs !== undefined && { messageTs }),
    };
  }
  if (type === 'view_submission') {
    const payload = parseOrExplain(viewSubmissionSchema, json);
    return {
      type: 'view_submission',
      userId: payload.user.id,
      callbackId: payload.view.callback_id,
      privateMetadata: payload.view.private_metadata ?? '',
      values: flattenValues(payload.view.state.values),
      ...(payload.trigger_id !== undefined && { triggerId: payload.trigger_id }),
    };
  }
  throw new SlackPayloadError(`payload.type: unsupported ${JSON.stringify(type.slice(0, 64))}`);
}
