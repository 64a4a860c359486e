import * as z from 'zod/mini';
import { ConfigError } from '../core/env';

type Env = Readonly<Record<string, string | undefined>>;

/** The variables the escalation rules read (locally from the environment, in AWS set by CDK from cdk.json). */
export const ESCALATION_ENV = {
  p1UnacknowledgedAfter: 'ESCALATE_P1_UNACKNOWLEDGED_AFTER',
  p2UnacknowledgedAfter: 'ESCALATE_P2_UNACKNOWLEDGED_AFTER',
  p1OpenAfter: 'ESCALATE_P1_OPEN_AFTER',
  stormThreshold: 'ESCALATION_STORM_THRESHOLD',
  channel: 'SLACK_CHANNEL_ESCALATIONS',
  userId: 'SLACK_ESCALATION_USER_ID',
} as const;

/** Defaults shared by the environment reader and the cdk.json schema. */
export const ESCALATION_DEFAULTS = {
  p1UnacknowledgedAfter: '10m',
  p2UnacknowledgedAfter: '30m',
  p1OpenAfter: '4h',
  stormThreshold: 3,
  channel: '#exec-escalations',
} as const;

/** A storm is counted over this sliding window. */
export const STORM_WINDOW_MS = 15 * 60_000;

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;
/** Longest threshold accepted: a week; anything longer is a typo, not a rule. */
const MAX_DURATION_MS = 7 * 24 * 3_600_000;

/** Parses `90s`, `10m`, `4h` into milliseconds; undefined for anything else. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,6})(s|m|h)$/.exec(text.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  return ms > 0 && ms <= MAX_DURATION_MS ? ms : undefined;
}

/** A duration as written in cdk.json or the environment (kept as text, validated). */
export const durationText = z.string().check(z.refine((text) => parseDuration(text) !== undefined, 'must be a duration such as 90s, 10m or 4h (at most 168h)'));

export const slackUserIdSchema = z.string().check(z.regex(/^[UW][A-Z0-9]{2,20}$/, 'must be a Slack user id such as U0123ABCD'));

/** The cdk.json `escalations` settings; each field's default applies when it is left out. */
export const escalationSettingsSchema = z.strictObject({
  p1UnacknowledgedAfter: z._default(durationText, ESCALATION_DEFAULTS.p1UnacknowledgedAfter),
  p2UnacknowledgedAfter: z._default(durationText, ESCALATION_DEFAULTS.p2UnacknowledgedAfter),
  p1OpenAfter: z._default(durationText, ESCALATION_DEFAULTS.p1OpenAfter),
  stormThreshold: z._default(z.int().check(z.gte(1), z.lte(100)), ESCALATION_DEFAULTS.stormThreshold),
  channel: z._default(z.string().check(z.minLength(1)), ESCALATION_DEFAULTS.channel),
  userId: z.optional(slackUserIdSchema),
});
export type EscalationSettings = z.infer<typeof escalationSettingsSchema>;

export interface EscalationConfig {
  p1UnacknowledgedAfterMs: number;
  p2UnacknowledgedAfterMs: number;
  p1OpenAfterMs: number;
  /** More than this many escalations within STORM_WINDOW_MS fold into one message. */
  stormThreshold: number;
  channel: string;
  /** Mentioned on the first line of every escalation when set. */
  userId?: string;
}

/** Reads the escalation settings; a bad value is a ConfigError naming the variable. */
export function loadEscalationConfig(env: Env): EscalationConfig {
  const duration = (name: string, fallback: string): number => {
    const raw = env[name] || fallback;
    const ms = parseDuration(raw);
    if (ms === undefined) throw new ConfigError(`${name} must be a duration such as 90s, 10m or 4h (at most 168h), got "${raw}"`);
    return ms;
  };
  const thresholdText = env[ESCALATION_ENV.stormThreshold];
  const threshold = thresholdText ? Number(thresholdText) : ESCALATION_DEFAULTS.stormThreshold;
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > 100) {
    throw new ConfigError(`${ESCALATION_ENV.stormThreshold} must be a whole number from 1 to 100, got "${thresholdText}"`);
  }
  const userId = env[ESCALATION_ENV.userId] || undefined;
  if (userId !== undefined && !slackUserIdSchema.safeParse(userId).success) {
    throw new ConfigError(`${ESCALATION_ENV.userId} must be a Slack user id such as U0123ABCD, got "${userId}"`);
  }
  return {
    p1UnacknowledgedAfterMs: duration(ESCALATION_ENV.p1UnacknowledgedAfter, ESCALATION_DEFAULTS.p1UnacknowledgedAfter),
    p2UnacknowledgedAfterMs: duration(ESCALATION_ENV.p2UnacknowledgedAfter, ESCALATION_DEFAULTS.p2UnacknowledgedAfter),
    p1OpenAfterMs: duration(ESCALATION_ENV.p1OpenAfter, ESCALATION_DEFAULTS.p1OpenAfter),
    stormThreshold: threshold,
    channel: env[ESCALATION_ENV.channel] || ESCALATION_DEFAULTS.channel,
    userId,
  };
}

/** The cdk.json settings as the environment `loadEscalationConfig` reads. */
export function escalationEnvironment(settings: EscalationSettings): Record<string, string> {
  return {
    [ESCALATION_ENV.p1UnacknowledgedAfter]: settings.p1UnacknowledgedAfter,
    [ESCALATION_ENV.p2UnacknowledgedAfter]: settings.p2UnacknowledgedAfter,
    [ESCALATION_ENV.p1OpenAfter]: settings.p1OpenAfter,
    [ESCALATION_ENV.stormThreshold]: String(settings.stormThreshold),
    [ESCALATION_ENV.channel]: settings.channel,
    ...(settings.userId ? { [ESCALATION_ENV.userId]: settings.userId } : {}),
  };
}
