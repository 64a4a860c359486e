/**
 * The contract between the CDK stacks and the Lambda functions: the environment variable
 * names CDK sets. Values are names and ARNs only; secret values are read at run time.
 */
export const LambdaEnv = {
  tableName: 'TABLE_NAME',
  eventBusName: 'EVENT_BUS_NAME',
  maxBodyBytes: 'MAX_BODY_BYTES',
  slackChannelIncidents: 'SLACK_CHANNEL_INCIDENTS',
  anthropicModel: 'ANTHROPIC_MODEL',
  anthropicDailyTokenBudget: 'ANTHROPIC_DAILY_TOKEN_BUDGET',
  hiringRetentionDays: 'HIRING_RETENTION_DAYS',
  slackChannelApprovals: 'SLACK_CHANNEL_APPROVALS',
  slackApproverIds: 'SLACK_APPROVER_IDS',
  approvalsConfig: 'APPROVALS_CONFIG',
  leverTimestampWindowMs: 'LEVER_TIMESTAMP_WINDOW_MS',
} as const;

/** Secrets other than the per-source webhook secrets (those come from the source registry). */
export const ServiceSecretNames = {
  slackBotToken: 'SLACK_BOT_TOKEN',
  slackSigningSecret: 'SLACK_SIGNING_SECRET',
  jiraApiToken: 'JIRA_API_TOKEN',
  anthropicApiKey: 'ANTHROPIC_API_KEY',
} as const;

/**
 * The one Secrets Manager secret that holds every signing secret (each source's webhook secret
 * and the Slack signing secret) as JSON, `{"PAGERDUTY_WEBHOOK_SECRET": ["…"], …}`: one secret
 * instead of seven at $0.40 a month each (docs/adr/0012). Functions find it by `SIGNING_SECRETS_ARN`.
 */
export const SIGNING_SECRETS_NAME = 'SIGNING_SECRETS';

/**
 * The one Secrets Manager secret that holds the outbound credentials (`SLACK_BOT_TOKEN`,
 * `ANTHROPIC_API_KEY`, `JIRA_API_TOKEN` when Jira write-back is on) as JSON of strings, kept apart
 * from the signing secrets so the functions that only verify inbound requests cannot read what
 * posts, writes or spends (docs/adr/0014). Functions find it by `SERVICE_CREDENTIALS_ARN`.
 */
export const SERVICE_CREDENTIALS_NAME = 'SERVICE_CREDENTIALS';

/** The names kept as fields of SERVICE_CREDENTIALS; every other secret name is a signing secret. */
const CREDENTIAL_NAMES: readonly string[] = [ServiceSecretNames.slackBotToken, ServiceSecretNames.anthropicApiKey, ServiceSecretNames.jiraApiToken];

/** The Secrets Manager secret a named secret is a field of. */
export function storedSecretOf(name: string): typeof SIGNING_SECRETS_NAME | typeof SERVICE_CREDENTIALS_NAME {
  return CREDENTIAL_NAMES.includes(name) ? SERVICE_CREDENTIALS_NAME : SIGNING_SECRETS_NAME;
}

/** Env var that carries a secret's ARN into a function, e.g. `PAGERDUTY_WEBHOOK_SECRET_ARN`. */
export function secretArnEnvName(secretName: string): string {
  return `${secretName}_ARN`;
}
