import { z } from 'zod';

/**
 * The cdk.json keys that govern how the service is watched, limited and replayed. Kept apart
 * from lib/config.ts so operational settings can grow without touching the product settings.
 */
export const operationsConfigShape = {
  /** Where alarm notifications are e-mailed (an SNS subscription the recipient must confirm). Unset: the topic has no subscriber. */
  alarmEmail: z.email().optional(),
  /** Base URL of docs/operations.md as the team reads it (e.g. its page in your Git host); alarm descriptions link its sections. */
  runbookUrl: z.string().min(1).default('docs/operations.md'),
  /** Alarm when more than this share (percent) of the documents Claude was asked to write came from the template instead, over an hour. */
  templateFallbackAlarmPercent: z.number().gt(0).max(100).default(25),
  /** Alarm when the day's model tokens pass this share (percent) of `anthropicDailyTokenBudget`. */
  tokenBudgetAlarmPercent: z.number().gt(0).max(100).default(80),
  /** Days the EventBridge archive keeps every event on the bus for replay (0 = forever). */
  archiveRetentionDays: z.number().int().min(0).max(3650).default(30),
  /**
   * Reserved concurrency of each function that may call Claude: caps parallel model calls so a
   * burst of webhooks cannot exceed the organisation's Anthropic rate limits.
   */
  claudeReservedConcurrency: z.number().int().min(1).max(1000).default(5),
  /** Steady requests per second and burst the HTTP API accepts before answering 429. */
  apiThrottle: z
    .strictObject({
      rateLimit: z.number().int().min(1).max(10_000).default(50),
      burstLimit: z.number().int().min(1).max(5_000).default(100),
    })
    .prefault({}),
};
