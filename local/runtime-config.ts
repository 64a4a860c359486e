import { loadApprovalConfig } from '../functions/approvals/approval-config';
import { maxBodyBytes, positiveInt } from '../functions/core/env';
import { hiringRetentionDays } from '../functions/core/retention';
import { DEFAULT_TABLE_NAME } from '../functions/core/table-definition';
import { loadDigestConfig } from '../functions/digest/digest-config';
import { loadEscalationConfig } from '../functions/escalations/escalation-config';
import { loadAttentionConfig } from '../functions/incidents/attention-config';
import { dailyTokenBudget, modelOverrides } from '../functions/writer/create-writer';
import { LOCAL_APPROVER } from './slack-simulator';

type Env = Record<string, string | undefined>;

/** The incident channel when SLACK_CHANNEL_INCIDENTS is unset. */
export const DEFAULT_INCIDENTS_CHANNEL = '#incidents-exec';

/**
 * Every variable the local runtime reads, parsed as `npm start` parses them before anything
 * starts: a bad value throws, naming the variable. `npm run doctor` parses through the same
 * function, so what it accepts is what the runtime accepts.
 */
export function loadRuntimeConfig(env: Env) {
  // Locally, escalations mention the local VP (as approvals do) unless SLACK_ESCALATION_USER_ID says otherwise.
  const escalations = loadEscalationConfig(env);
  return {
    host: env.HOST || '127.0.0.1',
    port: env.PORT === '0' ? 0 : positiveInt(env, 'PORT', 3000),
    tableName: env.TABLE_NAME || DEFAULT_TABLE_NAME,
    maxBodyBytes: maxBodyBytes(env),
    hiringRetentionDays: hiringRetentionDays(env),
    attention: loadAttentionConfig(env),
    escalations: { ...escalations, userId: escalations.userId ?? (env.SLACK_BOT_TOKEN ? undefined : LOCAL_APPROVER) },
    approvals: loadApprovalConfig(env, [LOCAL_APPROVER]),
    approvalExpiryIntervalMs: positiveInt(env, 'APPROVAL_EXPIRY_INTERVAL_MS', 60_000),
    digest: loadDigestConfig(env),
    writer: { models: modelOverrides(env), dailyTokenBudget: dailyTokenBudget(env) },
    incidentsChannel: env.SLACK_CHANNEL_INCIDENTS || DEFAULT_INCIDENTS_CHANNEL,
    // OUTBOX_PACE_MS: the gap between posts to one channel (Slack allows about one a second); a
    // load run against the fake Slack may set it lower.
    outboxPaceMs: positiveInt(env, 'OUTBOX_PACE_MS', 1_000),
    outboxSweepIntervalMs: positiveInt(env, 'OUTBOX_SWEEP_INTERVAL_MS', 1_000),
  };
}

export type RuntimeConfig = ReturnType<typeof loadRuntimeConfig>;

/** The Slack channels a configuration posts to, each with the variable that sets it. */
export function configuredChannels(config: RuntimeConfig): { variable: string; channel: string }[] {
  return [
    { variable: 'SLACK_CHANNEL_INCIDENTS', channel: config.incidentsChannel },
    { variable: 'SLACK_CHANNEL_ESCALATIONS', channel: config.escalations.channel },
    { variable: 'SLACK_CHANNEL_APPROVALS', channel: config.approvals.channel },
    { variable: 'SLACK_CHANNEL_DIGEST', channel: config.digest.channel },
  ];
}
