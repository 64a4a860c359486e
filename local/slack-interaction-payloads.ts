/**
 * Realistic Slack-format interaction bodies (a button click, a modal submission), as Slack
 * would POST them to the Interactivity URL: what the local inbox signs and sends, and what the
 * tests and the benchmark click with. Never used by the deployed functions.
 */

/** Obviously fake: Slack's deprecated verification token, which nothing here checks. */
const FAKE_VERIFICATION_TOKEN = 'FAKE-verification-token-not-a-secret';
const DEFAULT_APP_ID = 'A0LOCALAPP';
const DEFAULT_TEAM_ID = 'T0LOCAL';
const DEFAULT_TEAM_DOMAIN = 'local-workspace';

export interface BlockActionsInput {
  userId: string;
  userName?: string;
  teamId?: string;
  actionId: string;
  value: string;
  blockId?: string;
  channelId?: string;
  messageTs?: string;
  triggerId?: string;
  responseUrl?: string;
  apiAppId?: string;
  /** When the click happened; sets `action_ts`. Defaults to the current time. */
  now?: Date;
}

export interface ViewSubmissionInput {
  userId: string;
  userName?: string;
  teamId?: string;
  callbackId: string;
  privateMetadata?: string;
  /** Text input values by block id, then action id. */
  values: Record<string, Record<string, string | null>>;
  viewId?: string;
  triggerId?: string;
  apiAppId?: string;
}

/** Slack's `<seconds>.<micros>` timestamp format. */
function slackTs(now: Date): string {
  const ms = now.getTime();
  return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000).padStart(6, '0')}`;
}

function fakeTriggerId(seed: string): string {
  let hash = 0;
  for (const char of seed) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return `1234567890123.1234567890.${hash.toString(16).padStart(8, '0')}${'0'.repeat(24)}`;
}

function formEncode(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

function userObject(userId: string, userName: string | undefined, teamId: string) {
  const name = userName ?? userId.toLowerCase();
  return { id: userId, username: name, name, team_id: teamId };
}

/** A form-encoded `block_actions` body, as Slack sends when a message button is clicked. */
export function buildBlockActionsBody(input: BlockActionsInput): string {
  const now = input.now ?? new Date();
  const teamId = input.teamId ?? DEFAULT_TEAM_ID;
  const channelId = input.channelId ?? 'C0LOCALCHAN';
  const messageTs = input.messageTs ?? slackTs(now);
  const blockId = input.blockId ?? 'approval_actions';
  const triggerId = input.triggerId ?? fakeTriggerId(`${input.userId}:${input.actionId}:${input.value}`);
  const responseUrl = input.responseUrl ?? `https://hooks.slack.com/actions/${teamId}/1234567890123/FAKEresponseUrlToken0000`;
  const action = { action_id: input.actionId, block_id: blockId, value: input.value, type: 'button', action_ts: slackTs(now) };
  return formEncode({
    type: 'block_actions',
    user: userObject(input.userId, input.userName, teamId),
    api_app_id: input.apiAppId ?? DEFAULT_APP_ID,
    token: FAKE_VERIFICATION_TOKEN,
    container: { type: 'message', message_ts: messageTs, channel_id: channelId, is_ephemeral: false },
    trigger_id: triggerId,
    team: { id: teamId, domain: DEFAULT_TEAM_DOMAIN },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channelId, name: 'approvals' },
    message: {
      type: 'message',
      ts: messageTs,
      bot_id: 'B0LOCALBOT',
      text: 'Approval requested',
      blocks: [
        {
          type: 'actions',
          block_id: blockId,
          elements: [{ type: 'button', action_id: input.actionId, value: input.value, text: { type: 'plain_text', text: input.actionId } }],
        },
      ],
    },
    state: { values: {} },
    response_url: responseUrl,
    actions: [action],
  });
}

/** A form-encoded `view_submission` body, as Slack sends when a modal is submitted. */
export function buildViewSubmissionBody(input: ViewSubmissionInput): string {
  const teamId = input.teamId ?? DEFAULT_TEAM_ID;
  const appId = input.apiAppId ?? DEFAULT_APP_ID;
  const stateValues: Record<string, Record<string, { type: 'plain_text_input'; value: string | null }>> = {};
  const blocks: unknown[] = [];
  for (const [blockId, actions] of Object.entries(input.values)) {
    const block: Record<string, { type: 'plain_text_input'; value: string | null }> = {};
    for (const [actionId, value] of Object.entries(actions)) {
      block[actionId] = { type: 'plain_text_input', value };
      blocks.push({
        type: 'input',
        block_id: blockId,
        label: { type: 'plain_text', text: actionId },
        element: { type: 'plain_text_input', action_id: actionId, multiline: true },
      });
    }
    stateValues[blockId] = block;
  }
  return formEncode({
    type: 'view_submission',
    team: { id: teamId, domain: DEFAULT_TEAM_DOMAIN },
    user: userObject(input.userId, input.userName, teamId),
    api_app_id: appId,
    token: FAKE_VERIFICATION_TOKEN,
    trigger_id: input.triggerId ?? fakeTriggerId(`${input.userId}:${input.callbackId}`),
    view: {
      id: input.viewId ?? 'V0LOCALVIEW',
      team_id: teamId,
      type: 'modal',
      blocks,
      private_metadata: input.privateMetadata ?? '',
      callback_id: input.callbackId,
      state: { values: stateValues },
      hash: '1234567890.FAKEhash',
      title: { type: 'plain_text', text: 'Reject request' },
      clear_on_close: false,
      notify_on_close: false,
      close: { type: 'plain_text', text: 'Cancel' },
      submit: { type: 'plain_text', text: 'Reject' },
      previous_view_id: null,
      root_view_id: input.viewId ?? 'V0LOCALVIEW',
      app_id: appId,
      external_id: '',
      app_installed_team_id: teamId,
      bot_id: 'B0LOCALBOT',
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  });
}
