import { describeIssues } from '../core/schema-error';
import * as z from 'zod/mini';
import { ConfigError } from '../core/env';
import { LambdaEnv } from '../core/lambda-env';
import { hiringRetentionDays } from '../core/retention';

type Env = Readonly<Record<string, string | undefined>>;

const slackUserId = z.string().check(z.regex(/^[UW][A-Z0-9]{2,20}$/, 'must be a Slack user id such as U0123ABCD'));

/** When a Jira issue's transition opens an approval. Unset filters match anything. */
const jiraTriggerSchema = z.strictObject({
  id: z.string().check(z.regex(/^[a-z0-9-]{1,40}$/)),
  source: z.literal('jira'),
  /** The status that means "waiting for the VP"; matched case-insensitively. */
  status: z.string().check(z.minLength(1)),
  projects: z.optional(z.array(z.string().check(z.minLength(1)))),
  issueTypes: z.optional(z.array(z.string().check(z.minLength(1)))),
  /** What is being approved, shown to readers: "budget request", "production change", … */
  label: z.string().check(z.minLength(1), z.maxLength(60)),
  approvers: z.optional(z.array(slackUserId).check(z.minLength(1))),
  deadlineHours: z.optional(z.number().check(z.positive(), z.lte(24 * 30))),
});

/** When an applicant-tracking stage change opens an approval (e.g. an offer). */
const stageTriggerSchema = z.strictObject({
  id: z.string().check(z.regex(/^[a-z0-9-]{1,40}$/)),
  source: z.literal('hiring'),
  /** Matches a stage whose name contains this text, case-insensitively. */
  stageContains: z.string().check(z.minLength(1)),
  label: z.string().check(z.minLength(1), z.maxLength(60)),
  approvers: z.optional(z.array(slackUserId).check(z.minLength(1))),
  deadlineHours: z.optional(z.number().check(z.positive(), z.lte(24 * 30))),
});

export const triggerSchema = z.discriminatedUnion('source', [jiraTriggerSchema, stageTriggerSchema]);
export type ApprovalTrigger = z.infer<typeof triggerSchema>;

const writeBackSchema = z.strictObject({
  enabled: z._default(z.boolean(), false),
  /** Jira Cloud site, e.g. https://acme.atlassian.net (tests point it at a fake). */
  baseUrl: z.optional(z.url()),
  /** The account the API token belongs to. */
  email: z.optional(z.string().check(z.minLength(3))),
  /** Jira transition ids to apply after a decision; none means comment only. */
  transitions: z._default(z.strictObject({ approved: z.optional(z.string()), rejected: z.optional(z.string()) }), {}),
});

/** Settings a deployment may override with `APPROVALS_CONFIG` (JSON) or cdk.json `approvals`. */
export const approvalSettingsSchema = z.strictObject({
  triggers: z._default(z.array(triggerSchema), []),
  defaultDeadlineHours: z._default(z.number().check(z.positive(), z.lte(24 * 30)), 48),
  writeBack: z._default(writeBackSchema, { enabled: false, transitions: {} }),
});
export type ApprovalSettings = z.infer<typeof approvalSettingsSchema>;

export interface ApprovalConfig extends ApprovalSettings {
  channel: string;
  /** Who may decide when a trigger names nobody (SLACK_APPROVER_IDS). */
  approvers: string[];
  /** Offer approvals are deleted with the rest of the candidate's data (HIRING_RETENTION_DAYS). */
  hiringRetentionDays: number;
}

/** Used when no trigger is configured: the two the product promises out of the box. */
export const DEFAULT_TRIGGERS: ApprovalTrigger[] = [
  { id: 'vp-approval', source: 'jira', status: 'Awaiting VP Approval', label: 'VP approval' },
  { id: 'offer', source: 'hiring', stageContains: 'Offer', label: 'offer' },
];

export const DEFAULT_APPROVALS_CHANNEL = '#exec-approvals';

/**
 * Reads `SLACK_CHANNEL_APPROVALS`, `SLACK_APPROVER_IDS` (comma-separated) and `APPROVALS_CONFIG`
 * (JSON, see `approvalSettingsSchema`). A bad value is a ConfigError naming the setting.
 */
export function loadApprovalConfig(env: Env, fallbackApprovers: string[] = []): ApprovalConfig {
  let raw: unknown = {};
  const json = env[LambdaEnv.approvalsConfig];
  if (json) {
    try {
      raw = JSON.parse(json);
    } catch {
      throw new ConfigError('APPROVALS_CONFIG is not valid JSON');
    }
  }
  const parsed = approvalSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(`APPROVALS_CONFIG is invalid: ${describeIssues(parsed.error.issues, '', '(root)')}`);
  }
  const ids = (env[LambdaEnv.slackApproverIds] ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  for (const id of ids) {
    if (!slackUserId.safeParse(id).success) throw new ConfigError(`SLACK_APPROVER_IDS: "${id}" is not a Slack user id`);
  }
  const settings = parsed.data;
  return {
    ...settings,
    triggers: settings.triggers.length > 0 ? settings.triggers : DEFAULT_TRIGGERS,
    channel: env[LambdaEnv.slackChannelApprovals] || DEFAULT_APPROVALS_CHANNEL,
    approvers: ids.length > 0 ? ids : fallbackApprovers,
    hiringRetentionDays: hiringRetentionDays(env),
  };
}
