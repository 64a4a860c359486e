import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { z } from 'zod';
import { approvalSettingsSchema, DEFAULT_APPROVALS_CHANNEL } from '../functions/approvals/approval-config';
import { LambdaEnv } from '../functions/core/lambda-env';
import { DIGEST_DEFAULTS, DIGEST_ENV, serviceRepositoriesSchema } from '../functions/digest/digest-config';
import { DEFAULT_PRODUCTION_ENVIRONMENTS } from '../functions/digest/dora';
import { DEFAULT_DIGEST_CRON, DEFAULT_DIGEST_TIME_ZONE, validateCron } from '../functions/digest/period';
import { DEFAULT_HIRING_RETENTION_DAYS } from '../functions/core/retention';
import { DOCUMENT_KINDS } from '../functions/ports/writer';
import { DEFAULT_DAILY_TOKEN_BUDGET, modelEnvName } from '../functions/writer/create-writer';
import { LEVER_DEFAULT_WINDOW_MS } from '../functions/sources/lever';
import { operationsConfigShape } from './operations-config';
import { escalationSettingsSchema, slackUserIdSchema } from '../functions/escalations/escalation-config';
import { attentionSettingsSchema } from '../functions/incidents/attention-config';
import { DEFAULT_INVESTMENT_CATEGORIES, investmentCategoriesSchema, investmentTargetsSchema } from '../functions/weekly/investment';
import { DEFAULT_WEEKLY_CHANNEL, DEFAULT_WEEKLY_CRON, WEEKLY_ENV } from '../functions/weekly/weekly-config';
import { DEFAULT_WORKING_HOURS, parseWorkingHours } from '../functions/weekly/working-hours';
import { ASK_DEFAULTS } from '../functions/ask/ask-config';

/** The cdk.json context key that holds this app's settings. */
export const CONTEXT_KEY = 'exec-eng-lead';

const retentionDays = Object.values(RetentionDays).filter((value): value is number => typeof value === 'number');

const configSchema = z.strictObject({
  /** Short lower-case name used in stack, bus and secret names, e.g. `prod`. */
  stage: z.string().regex(/^[a-z][a-z0-9-]{0,19}$/, 'must be lower-case letters, digits or "-", at most 20 characters'),
  /** Largest webhook body ingest accepts; API Gateway itself stops at 10 MB. */
  maxBodyBytes: z
    .number()
    .int()
    .positive()
    .max(10 * 1024 * 1024),
  slackChannelIncidents: z.string().min(1),
  anthropicModel: z.string().min(1),
  logRetentionDays: z
    .number()
    .int()
    .refine((days) => retentionDays.includes(days), `must be one of CloudWatch's retention periods (${retentionDays.join(', ')})`),
  /** Per-document-kind model ids, e.g. `{ "incident.update": "claude-haiku-4-5" }`. */
  anthropicModels: z.partialRecord(z.enum(DOCUMENT_KINDS), z.string().min(1)).default({}),
  /** Tokens per UTC day the Claude writer may use before the template writer takes over. */
  anthropicDailyTokenBudget: z.number().int().positive().default(DEFAULT_DAILY_TOKEN_BUDGET),
  slackChannelApprovals: z.string().min(1).default(DEFAULT_APPROVALS_CHANNEL),
  /** Slack user ids who may decide when a trigger names nobody. */
  slackApproverIds: z.array(z.string().regex(/^[UW][A-Z0-9]{2,20}$/)).default([]),
  /** Triggers, deadline and Jira write-back; see functions/approvals/approval-config.ts. */
  approvals: z.prefault(approvalSettingsSchema, {}),
  /** The morning digest: schedule (EventBridge cron body) in an IANA time zone, channel and metric settings. */
  digest: z
    .strictObject({
      schedule: z.string().min(9).default(DEFAULT_DIGEST_CRON),
      timeZone: z.string().min(3).default(DEFAULT_DIGEST_TIME_ZONE),
      channel: z.string().min(1).default(DIGEST_DEFAULTS.channel),
      sloTarget: z.number().gt(0).lt(1).default(DIGEST_DEFAULTS.sloTarget),
      customerFacingServices: z.array(z.string().min(1)).default([]),
      deployedStatuses: z.array(z.string().min(1)).default([]),
      deployedIssueTypes: z.array(z.string().min(1)).default([]),
      attributionWindowHours: z.number().positive().max(336).default(DIGEST_DEFAULTS.attributionWindowHours),
      /** GitHub environments that are production (DORA), besides those GitHub marks production_environment. */
      productionEnvironments: z
        .array(z.string().min(1))
        .min(1)
        .default([...DEFAULT_PRODUCTION_ENVIRONMENTS]),
      /** PagerDuty service → GitHub repositories, for change failure rate; unnamed services link to the repository of their name. */
      serviceRepositories: z._default(serviceRepositoriesSchema, {}),
    })
    .superRefine((digest, context) => {
      try {
        validateCron(digest.schedule, digest.timeZone);
      } catch (error) {
        context.addIssue({ code: 'custom', path: ['schedule'], message: error instanceof Error ? error.message : String(error) });
      }
    })
    // Each field's own default applies when the key or the whole object is left out.
    .prefault({}),
  /** The weekly update for the E-staff: schedule (EventBridge cron body), zone (default the digest's), channel, working hours, investment categories and targets. */
  weekly: z
    .strictObject({
      schedule: z.string().min(9).default(DEFAULT_WEEKLY_CRON),
      timeZone: z.string().min(3).optional(),
      channel: z.string().min(1).default(DEFAULT_WEEKLY_CHANNEL),
      workingHours: z.string().min(1).default(DEFAULT_WORKING_HOURS),
      investmentCategories: z.optional(investmentCategoriesSchema),
      investmentTargets: z._default(investmentTargetsSchema, {}),
      askKinds: z.array(z.string().min(1)).default([]),
    })
    .superRefine((weekly, context) => {
      try {
        validateCron(weekly.schedule, weekly.timeZone ?? DEFAULT_DIGEST_TIME_ZONE);
      } catch (error) {
        context.addIssue({ code: 'custom', path: ['schedule'], message: error instanceof Error ? error.message : String(error) });
      }
      try {
        parseWorkingHours(weekly.workingHours, 'UTC');
      } catch (error) {
        context.addIssue({ code: 'custom', path: ['workingHours'], message: error instanceof Error ? error.message : String(error) });
      }
      const categories = Object.keys(weekly.investmentCategories ?? DEFAULT_INVESTMENT_CATEGORIES);
      for (const name of Object.keys(weekly.investmentTargets)) {
        if (!categories.includes(name))
          context.addIssue({ code: 'custom', path: ['investmentTargets', name], message: `no such category (${categories.join(', ')})` });
      }
    })
    .prefault({}),
  /** How often pending approvals are checked against their deadline. */
  approvalExpiryRateMinutes: z.number().int().min(1).max(60).default(5),
  /** Whether the incident worker may call Claude (and so gets the API key). */
  claudeWriter: z.boolean().default(false),
  /** One deploy only, when upgrading a deployment made before the signing secrets became one JSON secret (docs/deploy.md). */
  legacySigningSecrets: z.boolean().default(false),
  /** One deploy only, when upgrading a deployment made before the outbound credentials became one JSON secret (docs/deploy.md). */
  legacyCredentialSecrets: z.boolean().default(false),
  /** Days records derived from applicant-tracking data are kept before DynamoDB's TTL deletes them. */
  hiringRetentionDays: z.number().int().positive().max(3650).default(DEFAULT_HIRING_RETENTION_DAYS),
  /** How far Lever's signed `triggeredAt` may be from now before a delivery is refused as a replay. */
  leverTimestampWindowMs: z.number().int().min(10_000).max(3_600_000).default(LEVER_DEFAULT_WINDOW_MS),
  /** Escalation thresholds (`90s`, `10m`, `4h`), storm threshold, channel and who is mentioned. */
  escalations: z.prefault(escalationSettingsSchema, {}),
  /** What reaches the incident channel: the lowest priority briefed (`P2`), and the storm roll-up's threshold and window. */
  attention: z.prefault(attentionSettingsSchema, {}),
  /** Questions asked in Slack: who may ask (default the approvers and the escalation user), who may ask about hiring, tool calls per question. */
  ask: z
    .strictObject({
      allowedUserIds: z.array(slackUserIdSchema).default([]),
      hiringViewerIds: z.array(slackUserIdSchema).default([]),
      maxToolCalls: z.number().int().min(1).max(20).default(ASK_DEFAULTS.maxToolCalls),
    })
    .prefault({}),
  /** Alarms, limits and replay: see lib/monitoring.ts and docs/operations.md. */
  ...operationsConfigShape,
});

export type AppConfig = z.infer<typeof configSchema>;

/** Thrown when the cdk.json context is missing or has a bad value. */
export class ConfigInvalidError extends Error {
  override readonly name = 'ConfigInvalidError';
}

/** Validates a raw context object; the error names every bad key. */
export function parseConfig(raw: unknown): AppConfig {
  if (raw === undefined) {
    throw new ConfigInvalidError(`cdk.json context "${CONTEXT_KEY}" is missing`);
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const key = issue.path.length > 0 ? issue.path.join('.') : '(root)';
      return `"${key}": ${issue.message}`;
    });
    throw new ConfigInvalidError(`Invalid cdk.json context "${CONTEXT_KEY}": ${problems.join('; ')}`);
  }
  return result.data;
}

/** Reads and validates this app's context from the construct tree (cdk.json or `-c`). */
export function loadConfig(scope: Construct): AppConfig {
  return parseConfig(scope.node.tryGetContext(CONTEXT_KEY));
}

/** The environment a function that writes documents needs: default model, per-kind models, daily budget. */
export function writerEnvironment(config: AppConfig): Record<string, string> {
  return {
    [LambdaEnv.anthropicModel]: config.anthropicModel,
    [LambdaEnv.anthropicDailyTokenBudget]: String(config.anthropicDailyTokenBudget),
    ...Object.fromEntries(Object.entries(config.anthropicModels).map(([kind, model]) => [modelEnvName(kind as (typeof DOCUMENT_KINDS)[number]), model])),
  };
}

/** The digest function's settings as the environment `loadDigestConfig` reads. */
export function digestEnvironment(config: AppConfig): Record<string, string> {
  const { digest } = config;
  return {
    [DIGEST_ENV.channel]: digest.channel,
    [DIGEST_ENV.cron]: digest.schedule,
    [DIGEST_ENV.timeZone]: digest.timeZone,
    [DIGEST_ENV.sloTarget]: String(digest.sloTarget),
    [DIGEST_ENV.customerFacingServices]: digest.customerFacingServices.join(','),
    [DIGEST_ENV.deployedStatuses]: digest.deployedStatuses.join(','),
    [DIGEST_ENV.deployedIssueTypes]: digest.deployedIssueTypes.join(','),
    [DIGEST_ENV.attributionWindowHours]: String(digest.attributionWindowHours),
    [DIGEST_ENV.productionEnvironments]: digest.productionEnvironments.join(','),
    [DIGEST_ENV.serviceRepositories]: JSON.stringify(digest.serviceRepositories),
  };
}

/** The weekly function's settings as the environment `loadWeeklyConfig` reads (the digest's are set beside them). */
export function weeklyEnvironment(config: AppConfig): Record<string, string> {
  const { weekly } = config;
  return {
    [WEEKLY_ENV.cron]: weekly.schedule,
    ...(weekly.timeZone ? { [WEEKLY_ENV.timeZone]: weekly.timeZone } : {}),
    [WEEKLY_ENV.channel]: weekly.channel,
    [WEEKLY_ENV.workingHours]: weekly.workingHours,
    ...(weekly.investmentCategories ? { [WEEKLY_ENV.investmentCategories]: JSON.stringify(weekly.investmentCategories) } : {}),
    [WEEKLY_ENV.investmentTargets]: JSON.stringify(weekly.investmentTargets),
    [WEEKLY_ENV.askKinds]: weekly.askKinds.join(','),
  };
}
