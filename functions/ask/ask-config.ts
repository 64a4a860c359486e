import { ConfigError } from '../core/env';
import { slackUserIdSchema } from '../escalations/escalation-config';
import { type DigestSettings, loadDigestSettings } from '../digest/digest-config';

type Env = Readonly<Record<string, string | undefined>>;

/** The variables the answer worker reads (locally from the environment, in AWS set by CDK from cdk.json). */
export const ASK_ENV = {
  allowedUserIds: 'ASK_ALLOWED_USER_IDS',
  hiringViewerIds: 'HIRING_VIEWER_IDS',
  maxToolCalls: 'ASK_MAX_TOOL_CALLS',
} as const;

export const ASK_DEFAULTS = {
  maxToolCalls: 6,
  /** Earlier turns of a thread given with a follow-up question. */
  historyTurns: 3,
  /** Turns are kept this long (DynamoDB TTL). */
  turnRetentionMs: 86_400_000,
} as const;

export interface AskConfig {
  /** Who may ask anything at all. */
  allowedUserIds: string[];
  /** Who may ask about hiring (candidates, stages, offers), and then only in a direct message. */
  hiringViewerIds: string[];
  /** Tool calls one question may make. */
  maxToolCalls: number;
  historyTurns: number;
  /** Periods, time zone, SLO and DORA settings: the digest's, so answers show the digest's figures. */
  digest: DigestSettings;
}

/**
 * Reads the ask settings. `defaults` are who may ask when `ASK_ALLOWED_USER_IDS` is unset: the
 * approvers and the escalation user (locally the local VP). A bad value is a ConfigError naming
 * the variable.
 */
export function loadAskConfig(env: Env, defaults: readonly string[]): AskConfig {
  const allowed = userIds(env, ASK_ENV.allowedUserIds) ?? [...new Set(defaults)];
  const hiring = userIds(env, ASK_ENV.hiringViewerIds) ?? allowed;
  const raw = env[ASK_ENV.maxToolCalls];
  const maxToolCalls = raw ? Number(raw) : ASK_DEFAULTS.maxToolCalls;
  if (!Number.isInteger(maxToolCalls) || maxToolCalls < 1 || maxToolCalls > 20) {
    throw new ConfigError(`${ASK_ENV.maxToolCalls} must be a whole number from 1 to 20, got "${raw}"`);
  }
  return { allowedUserIds: allowed, hiringViewerIds: hiring, maxToolCalls, historyTurns: ASK_DEFAULTS.historyTurns, digest: loadDigestSettings(env) };
}

function userIds(env: Env, name: string): string[] | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const ids = raw
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  for (const id of ids) {
    if (!slackUserIdSchema.safeParse(id).success) throw new ConfigError(`${name}: "${id}" is not a Slack user id such as U0123ABCD`);
  }
  return ids;
}
