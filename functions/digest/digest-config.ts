import { describeIssues } from '../core/schema-error';
import { loadAttentionConfig } from '../incidents/attention-config';
import * as z from 'zod/mini';
import { commaList, ConfigError } from '../core/env';
import { DEPLOYED_STATUSES_ENV } from '../history/time-indexed';
import { DEFAULT_PRODUCTION_ENVIRONMENTS } from './dora';
import { DEFAULT_DIGEST_CRON, DEFAULT_DIGEST_TIME_ZONE, validateCron } from './period';
import { isTimeZone } from './zoned-time';

type Env = Readonly<Record<string, string | undefined>>;

/** What the digest measures and where it posts: shared by the weekly update and the ask tools, which run on schedules of their own or none. */
export interface DigestSettings {
  channel: string;
  /** IANA time zone the cron and the calendar month are read in. */
  timeZone: string;
  /** Availability objective per calendar month, e.g. 0.9999. */
  sloTarget: number;
  /** PagerDuty service names whose P1 incidents count as downtime. */
  customerFacingServices: string[];
  /** Jira statuses (or issue types) that mean "deployed"; none means deployment metrics are "not enough data". */
  deployedStatuses: string[];
  deployedIssueTypes: string[];
  /** An incident triggered this long after a deployment, naming its issue key, counts as a change failure. */
  attributionWindowHours: number;
  /** GitHub environment names that are production (besides `production_environment: true`). */
  productionEnvironments: string[];
  /** PagerDuty service → repositories (`owner/repo`) its incidents can be change failures of; unnamed services link to the repository of their own name. */
  serviceRepositories: Record<string, string[]>;
  /** BRIEF_MIN_PRIORITY as a rank: the digest sums up the incidents below it, which got no brief. */
  briefMinRank?: number;
}

/** The digest function's own settings: what it measures and when it runs. */
export interface DigestConfig extends DigestSettings {
  /** EventBridge Scheduler cron body, e.g. `0 9 ? * MON-FRI *`. */
  cron: string;
}

/** Defaults shared by the environment reader and the cdk.json schema. */
export const DIGEST_DEFAULTS = { channel: '#exec-digest', sloTarget: 0.9999, attributionWindowHours: 24 } as const;

export const DIGEST_ENV = {
  channel: 'SLACK_CHANNEL_DIGEST',
  cron: 'DIGEST_SCHEDULE',
  timeZone: 'DIGEST_TIME_ZONE',
  sloTarget: 'DIGEST_SLO_TARGET',
  customerFacingServices: 'DIGEST_CUSTOMER_FACING_SERVICES',
  deployedStatuses: DEPLOYED_STATUSES_ENV,
  deployedIssueTypes: 'DIGEST_DEPLOYED_ISSUE_TYPES',
  attributionWindowHours: 'DIGEST_ATTRIBUTION_HOURS',
  productionEnvironments: 'DORA_PRODUCTION_ENVIRONMENTS',
  serviceRepositories: 'DORA_SERVICE_REPOSITORIES',
} as const;

/** `{"checkout-api":["acme/checkout-api"]}`: a service name to one or more `owner/repo` names. */
export const serviceRepositoriesSchema = z.record(
  z.string().check(z.minLength(1)),
  z.array(z.string().check(z.regex(/^[^/\s]+\/[^/\s]+$/, 'expected "owner/repo"'))).check(z.minLength(1)),
);

/** Reads the digest's settings and its schedule; a bad value is a ConfigError naming the variable. */
export function loadDigestConfig(env: Env): DigestConfig {
  const settings = loadDigestSettings(env);
  const cron = env[DIGEST_ENV.cron] || DEFAULT_DIGEST_CRON;
  try {
    validateCron(cron, settings.timeZone);
  } catch (error) {
    throw new ConfigError(`${DIGEST_ENV.cron}/${DIGEST_ENV.timeZone}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { ...settings, cron };
}

/**
 * Reads what the digest measures, without its schedule: the weekly update and the ask tools
 * measure alike but never run on the digest's cron, so they neither read nor parse it.
 */
export function loadDigestSettings(env: Env): DigestSettings {
  const timeZone = env[DIGEST_ENV.timeZone] || DEFAULT_DIGEST_TIME_ZONE;
  if (!isTimeZone(timeZone)) throw new ConfigError(`${DIGEST_ENV.timeZone}: "${timeZone}" is not a valid IANA time zone`);
  const slo = env[DIGEST_ENV.sloTarget] ? Number(env[DIGEST_ENV.sloTarget]) : DIGEST_DEFAULTS.sloTarget;
  if (!(slo > 0 && slo < 1)) throw new ConfigError(`${DIGEST_ENV.sloTarget} must be a fraction between 0 and 1, e.g. 0.9999`);
  const hours = env[DIGEST_ENV.attributionWindowHours] ? Number(env[DIGEST_ENV.attributionWindowHours]) : DIGEST_DEFAULTS.attributionWindowHours;
  if (!(hours > 0 && hours <= 24 * 14)) throw new ConfigError(`${DIGEST_ENV.attributionWindowHours} must be between 0 and 336 hours`);
  const productionEnvironments = commaList(env[DIGEST_ENV.productionEnvironments]);
  return {
    productionEnvironments: productionEnvironments.length > 0 ? productionEnvironments : [...DEFAULT_PRODUCTION_ENVIRONMENTS],
    serviceRepositories: serviceRepositories(env[DIGEST_ENV.serviceRepositories]),
    channel: env[DIGEST_ENV.channel] || DIGEST_DEFAULTS.channel,
    briefMinRank: loadAttentionConfig(env).briefMinRank,
    timeZone,
    sloTarget: slo,
    customerFacingServices: commaList(env[DIGEST_ENV.customerFacingServices]),
    deployedStatuses: commaList(env[DIGEST_ENV.deployedStatuses]),
    deployedIssueTypes: commaList(env[DIGEST_ENV.deployedIssueTypes]),
    attributionWindowHours: hours,
  };
}

function serviceRepositories(raw: string | undefined): Record<string, string[]> {
  if (!raw || raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new ConfigError(
      `${DIGEST_ENV.serviceRepositories} is not valid JSON (${error instanceof Error ? error.message : String(error)}); expected e.g. {"checkout-api":["acme/checkout-api"]}`,
    );
  }
  const result = serviceRepositoriesSchema.safeParse(parsed);
  if (!result.success) {
    const problems = describeIssues(result.error.issues, '', '(root)');
    throw new ConfigError(`${DIGEST_ENV.serviceRepositories}: ${problems}; expected e.g. {"checkout-api":["acme/checkout-api"]}`);
  }
  return result.data;
}
