import { describeIssues } from '../core/schema-error';
import * as z from 'zod/mini';
import { ConfigError } from '../core/env';
import { type DigestSettings, loadDigestSettings } from '../digest/digest-config';
import { validateCron } from '../digest/period';
import {
  DEFAULT_INVESTMENT_CATEGORIES,
  type InvestmentCategories,
  type InvestmentTargets,
  investmentCategoriesSchema,
  investmentTargetsSchema,
} from './investment';
import { DEFAULT_WORKING_HOURS, parseWorkingHours, type WorkingHours } from './working-hours';

type Env = Readonly<Record<string, string | undefined>>;

/** Fridays at 15:00: the EventBridge Scheduler cron body. */
export const DEFAULT_WEEKLY_CRON = '0 15 ? * FRI *';
export const DEFAULT_WEEKLY_CHANNEL = '#exec-staff';

export const WEEKLY_ENV = {
  cron: 'WEEKLY_SCHEDULE',
  timeZone: 'WEEKLY_TIME_ZONE',
  channel: 'SLACK_CHANNEL_WEEKLY',
  workingHours: 'WORKING_HOURS',
  investmentCategories: 'INVESTMENT_CATEGORIES',
  investmentTargets: 'INVESTMENT_TARGETS',
  askKinds: 'WEEKLY_ASK_KINDS',
} as const;

export interface WeeklyConfig {
  cron: string;
  /** The schedule's zone (default: the digest's). */
  timeZone: string;
  channel: string;
  /** Read in the digest's zone. */
  workingHours: WorkingHours;
  investmentCategories: InvestmentCategories;
  investmentTargets: InvestmentTargets;
  /** Approval kinds (trigger labels) decided outside engineering: pending ones are the asks of the E-staff. */
  askKinds: string[];
  /** SLO, customer-facing services, DORA settings: the digest's, so both measure alike. */
  digest: DigestSettings;
}

/** Reads the weekly update's settings (and the digest's it shares); a bad value is a ConfigError naming the variable and field. */
export function loadWeeklyConfig(env: Env, digest: DigestSettings = loadDigestSettings(env)): WeeklyConfig {
  const cron = env[WEEKLY_ENV.cron] || DEFAULT_WEEKLY_CRON;
  const timeZone = env[WEEKLY_ENV.timeZone] || digest.timeZone;
  try {
    validateCron(cron, timeZone);
  } catch (error) {
    throw new ConfigError(`${WEEKLY_ENV.cron}/${WEEKLY_ENV.timeZone}: ${messageOf(error)}`);
  }
  let workingHours: WorkingHours;
  try {
    workingHours = parseWorkingHours(env[WEEKLY_ENV.workingHours] || DEFAULT_WORKING_HOURS, digest.timeZone);
  } catch (error) {
    throw new ConfigError(`${WEEKLY_ENV.workingHours}: ${messageOf(error)}`);
  }
  const investmentCategories =
    parseJson(env, WEEKLY_ENV.investmentCategories, investmentCategoriesSchema, '{"feature":{"issueTypes":["Story"]},"tech debt":{"labels":["tech-debt"]}}') ??
    DEFAULT_INVESTMENT_CATEGORIES;
  const investmentTargets = parseJson(env, WEEKLY_ENV.investmentTargets, investmentTargetsSchema, '{"tech debt":0.2}') ?? {};
  const unknown = Object.keys(investmentTargets).filter((name) => !Object.hasOwn(investmentCategories, name));
  if (unknown.length > 0) {
    throw new ConfigError(
      `${WEEKLY_ENV.investmentTargets}.${unknown[0]}: no such category in ${WEEKLY_ENV.investmentCategories} (${Object.keys(investmentCategories).join(', ')})`,
    );
  }
  const askKinds = (env[WEEKLY_ENV.askKinds] ?? '')
    .split(',')
    .map((kind) => kind.trim())
    .filter(Boolean);
  return {
    cron,
    timeZone,
    channel: env[WEEKLY_ENV.channel] || DEFAULT_WEEKLY_CHANNEL,
    workingHours,
    investmentCategories,
    investmentTargets,
    askKinds,
    digest,
  };
}

/** Parses a JSON variable with a schema; unset gives undefined; a bad value names the variable and the field. */
export function parseJson<T>(env: Env, name: string, schema: z.core.$ZodType<T>, example: string): T | undefined {
  const raw = env[name];
  if (!raw || raw.trim() === '') return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new ConfigError(`${name} is not valid JSON (${messageOf(error)}); expected e.g. ${example}`);
  }
  const result = z.safeParse(schema, parsed);
  if (!result.success) {
    throw new ConfigError(`${describeIssues(result.error.issues, name)}; expected e.g. ${example}`);
  }
  return result.data;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
