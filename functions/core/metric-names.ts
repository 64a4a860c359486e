/**
 * The contract between the code that emits metrics (EMF, through functions/ports/metrics.ts)
 * and the CloudWatch alarms in lib/monitoring.ts: one namespace, one `service` dimension on
 * every aggregate, and these names.
 */
export const METRICS_NAMESPACE = 'ExecEngLead';
export const METRICS_SERVICE = 'exec-eng-lead';

export const MetricNames = {
  /** Deliveries verified, recorded and published (202 accepted). Breakdown: source. */
  webhooksAccepted: 'WebhooksAccepted',
  /** Deliveries seen before (200 duplicate). Breakdown: source. */
  webhookDuplicates: 'WebhookDuplicates',
  /** Deliveries refused or failed (4xx/5xx). Breakdown: source, reason. */
  webhookRejections: 'WebhookRejections',
  /** Verified deliveries of event types the service does not use (202 ignored). Breakdown: source. */
  webhooksIgnored: 'WebhooksIgnored',
  /** Canonical events put on the bus. Breakdown: type. */
  eventsPublished: 'EventsPublished',
  /** Documents written. Breakdown: kind, writer. */
  documentsWritten: 'DocumentsWritten',
  /** Documents whose first model draft was rejected and corrected. Breakdown: kind. */
  groundingCorrections: 'GroundingCorrections',
  /** Documents the template wrote because Claude could not. Breakdown: reason. */
  templateFallbacks: 'TemplateFallbacks',
  modelInputTokens: 'ModelInputTokens',
  modelOutputTokens: 'ModelOutputTokens',
  modelCacheWriteTokens: 'ModelCacheWriteTokens',
  modelCacheReadTokens: 'ModelCacheReadTokens',
  /** From functions/writer/pricing.ts: an estimate, not a bill. Breakdown: model. */
  modelEstimatedCostUsd: 'ModelEstimatedCostUsd',
  /** The UTC day's tokens as a percentage of the daily budget, after each model call. */
  tokenBudgetUsedPercent: 'TokenBudgetUsedPercent',
  /** Slack Web API calls that failed after the client's retries. Breakdown: method. */
  slackFailures: 'SlackFailures',
  /** Documents waiting in the outbox, measured by its sweeper. */
  outboxPendingDocuments: 'OutboxPendingDocuments',
  /** Age of the oldest undelivered document, measured by the outbox sweeper. */
  outboxOldestPendingAgeSeconds: 'OutboxOldestPendingAgeSeconds',
  /** Documents the outbox sweeper gave up on (pending for 24 hours): each one never reached Slack. */
  outboxFailedDocuments: 'OutboxFailedDocuments',
  /**
   * Slack refusals a person must fix (`not_in_channel`, `invalid_auth`, …), one per attempt
   * refused: the documents wait, nothing retries its way out. Breakdown: code.
   */
  slackSetupErrors: 'SlackSetupErrors',
  /** Escalations sent. Breakdown: rule. */
  escalations: 'Escalations',
  /** Approvals decided (approved, rejected, expired). Breakdown: outcome. */
  approvalsDecided: 'ApprovalsDecided',
} as const;

export type MetricName = (typeof MetricNames)[keyof typeof MetricNames];
