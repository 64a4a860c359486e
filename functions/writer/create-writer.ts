import { positiveInt } from '../core/env';
import { LambdaEnv } from '../core/lambda-env';
import type { Clock } from '../ports/clock';
import type { TokenLedger } from '../ports/token-ledger';
import { kindSpecs } from '../documents/registry';
import { DOCUMENT_KINDS, type DocumentKind, type Writer } from '../ports/writer';
import type { AnthropicClientConfig, WriterLog } from './claude-writer';
import { MeteredWriter } from './metered-writer';
import { DEFAULT_TIER_MODELS } from './model-tiers';
import { TemplateWriter } from './template-writer';
import { lastResortDocument, templateOrNothing } from './last-resort';
import { changeKey, modelChoice, routeFor, TEMPLATE_ROUTE } from './writer-route';

type Env = Readonly<Record<string, string | undefined>>;

export interface WriterConfig {
  /** Without a key the template writer is used: the product runs with no network. */
  apiKey?: string;
  baseURL?: string;
  model: string;
  /** Per-kind and per-change model overrides (see `modelOverrides`). */
  models?: Readonly<Record<string, string>>;
  /** With a ledger, a daily token cap: past it the template writes. */
  budget?: { ledger: TokenLedger; dailyTokens: number; clock: Clock };
  log?: WriterLog;
  /** The Anthropic client's fetch (`anthropicKeyFetch` in Lambda: follows a rotated key). */
  fetch?: AnthropicClientConfig['fetch'];
}

/** Picks the writer: Claude with the template as fallback when a key is set, the template otherwise. */
export function createWriter(config: WriterConfig): Writer {
  const template = new TemplateWriter();
  const { apiKey } = config;
  if (!apiKey) return new MeteredWriter(template);
  // The Anthropic SDK (about 400 KB) is loaded when the first document a model writes comes, not at
  // cold start, and not for a document routed to the template (an acknowledgement, PagerDuty's escalation).
  const choice = modelChoice(config.model, config.models);
  let claude: Promise<Writer> | undefined;
  const lazyClaude: Writer = {
    write: async (request) => {
      if (routeFor(request, choice) === TEMPLATE_ROUTE) {
        const document = await templateOrNothing(template, request, (err) =>
          config.log?.('claude_writer.template_failed', { kind: request.kind, error: err instanceof Error ? err.name : typeof err }),
        );
        return document ?? lastResortDocument(request, 'template_failed');
      }
      claude ??= import('./claude-writer').then(({ ClaudeWriter, createAnthropicClient }) => {
        const client = createAnthropicClient({ apiKey, baseURL: config.baseURL, fetch: config.fetch });
        return new ClaudeWriter({ client, model: config.model, models: config.models, fallback: template, budget: config.budget, log: config.log });
      });
      return (await claude).write(request);
    },
  };
  return new MeteredWriter(lazyClaude, config.budget);
}

/**
 * The writer as every function and the local runtime configure it: model, per-kind models and
 * daily budget from the environment, the template when there is no key.
 */
export function createWriterFromEnv(
  env: Env,
  apiKey: string | undefined,
  ledger: TokenLedger,
  clock: Clock,
  log?: WriterConfig['log'],
  fetch?: WriterConfig['fetch'],
): Writer {
  return createWriter({
    fetch,
    apiKey: apiKey || undefined,
    baseURL: env.ANTHROPIC_BASE_URL || undefined,
    model: env[LambdaEnv.anthropicModel] || DEFAULT_TIER_MODELS.standard,
    models: modelOverrides(env),
    budget: { ledger, dailyTokens: dailyTokenBudget(env), clock },
    log,
  });
}

/** `ANTHROPIC_MODEL_INCIDENT_BRIEF`, `ANTHROPIC_MODEL_APPROVAL_REQUEST`, …: one per document kind. */
export function modelEnvName(kind: DocumentKind): string {
  return `ANTHROPIC_MODEL_${envWord(kind)}`;
}

/**
 * `ANTHROPIC_MODEL_INCIDENT_UPDATE_ACKNOWLEDGED`, `ANTHROPIC_MODEL_ESCALATION_PAGERDUTY_ESCALATED`: the kind's name, then
 * the value of its routing fact without a source prefix (`incident.`).
 */
export function changeEnvName(kind: DocumentKind, value: string): string {
  return `${modelEnvName(kind)}_${envWord(value.replace(/^[^.]*\./, ''))}`;
}

function envWord(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

/**
 * The overrides set in the environment: a model id or `template` per kind, and per value for the
 * values a kind's spec gives the template (`templateFor`), e.g.
 * `ANTHROPIC_MODEL_INCIDENT_UPDATE_ACKNOWLEDGED=claude-haiku-5-5` has the model write acknowledgements again.
 */
export function modelOverrides(env: Env): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const kind of DOCUMENT_KINDS) {
    const model = env[modelEnvName(kind)];
    if (model) overrides[kind] = model;
    for (const value of kindSpecs[kind].templateFor?.values ?? []) {
      const byValue = env[changeEnvName(kind, value)];
      if (byValue) overrides[changeKey(kind, value)] = byValue;
    }
  }
  return overrides;
}

/** Tokens per UTC day the Claude writer may use before the template takes over. */
export const DEFAULT_DAILY_TOKEN_BUDGET = 2_000_000;

export function dailyTokenBudget(env: Env): number {
  return positiveInt(env, LambdaEnv.anthropicDailyTokenBudget, DEFAULT_DAILY_TOKEN_BUDGET);
}
