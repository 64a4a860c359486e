import * as z from 'zod/mini';
import { ConfigError } from '../core/env';
import { durationText, parseDuration } from '../escalations/escalation-config';

type Env = Readonly<Record<string, string | undefined>>;

/** The variables that decide what reaches the incident channel (locally from the environment, in AWS set by CDK from cdk.json `attention`). */
export const ATTENTION_ENV = {
  briefMinPriority: 'BRIEF_MIN_PRIORITY',
  stormThreshold: 'INCIDENT_STORM_THRESHOLD',
  stormWindow: 'INCIDENT_STORM_WINDOW',
} as const;

export const ATTENTION_DEFAULTS = {
  briefMinPriority: 'P2',
  stormThreshold: 5,
  stormWindow: '10m',
} as const;

/** PagerDuty's default priority scheme: P1 is the most urgent. */
const PRIORITY_PATTERN = /^P([1-5])$/;

const briefMinPrioritySchema = z.string().check(z.regex(PRIORITY_PATTERN, 'must be one of P1, P2, P3, P4, P5'));

/** The cdk.json `attention` settings; each field's default applies when it is left out. */
export const attentionSettingsSchema = z.strictObject({
  briefMinPriority: z._default(briefMinPrioritySchema, ATTENTION_DEFAULTS.briefMinPriority),
  stormThreshold: z._default(z.int().check(z.gte(1), z.lte(100)), ATTENTION_DEFAULTS.stormThreshold),
  stormWindow: z._default(durationText, ATTENTION_DEFAULTS.stormWindow),
});
export type AttentionSettings = z.infer<typeof attentionSettingsSchema>;

export interface AttentionConfig {
  /** Incidents at this priority or more urgent get a brief: 2 for P2. */
  briefMinRank: number;
  /** More briefable incidents than this within `stormWindowMs` and the next ones join one roll-up. */
  stormThreshold: number;
  stormWindowMs: number;
}

export const DEFAULT_ATTENTION: AttentionConfig = { briefMinRank: 2, stormThreshold: ATTENTION_DEFAULTS.stormThreshold, stormWindowMs: 10 * 60_000 };

/** Reads the attention settings; a bad value is a ConfigError naming the variable. */
export function loadAttentionConfig(env: Env): AttentionConfig {
  const priority = (env[ATTENTION_ENV.briefMinPriority] || ATTENTION_DEFAULTS.briefMinPriority).trim().toUpperCase();
  const rank = priorityRank(priority);
  if (rank === undefined)
    throw new ConfigError(`${ATTENTION_ENV.briefMinPriority} must be one of P1, P2, P3, P4, P5, got "${env[ATTENTION_ENV.briefMinPriority]}"`);
  const thresholdText = env[ATTENTION_ENV.stormThreshold];
  const threshold = thresholdText ? Number(thresholdText) : ATTENTION_DEFAULTS.stormThreshold;
  if (!Number.isInteger(threshold) || threshold < 1 || threshold > 100) {
    throw new ConfigError(`${ATTENTION_ENV.stormThreshold} must be a whole number from 1 to 100, got "${thresholdText}"`);
  }
  const windowText = env[ATTENTION_ENV.stormWindow] || ATTENTION_DEFAULTS.stormWindow;
  const windowMs = parseDuration(windowText);
  if (windowMs === undefined)
    throw new ConfigError(`${ATTENTION_ENV.stormWindow} must be a duration such as 90s, 10m or 4h (at most 168h), got "${windowText}"`);
  return { briefMinRank: rank, stormThreshold: threshold, stormWindowMs: windowMs };
}

/** The cdk.json settings as the environment `loadAttentionConfig` reads. */
export function attentionEnvironment(settings: AttentionSettings): Record<string, string> {
  return {
    [ATTENTION_ENV.briefMinPriority]: settings.briefMinPriority,
    [ATTENTION_ENV.stormThreshold]: String(settings.stormThreshold),
    [ATTENTION_ENV.stormWindow]: settings.stormWindow,
  };
}

/** 1 for P1 … 5 for P5; undefined for no priority or a name outside PagerDuty's default scheme. */
export function priorityRank(priority: string | null | undefined): number | undefined {
  const match = PRIORITY_PATTERN.exec(priority?.trim().toUpperCase() ?? '');
  return match ? Number(match[1]) : undefined;
}
