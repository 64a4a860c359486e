import { LambdaEnv } from '../core/lambda-env';
import type { Clock } from '../ports/clock';
import type { TokenLedger } from '../ports/token-ledger';
import { createAnthropicClient, type WriterLog } from '../writer/claude-writer';
import { dailyTokenBudget } from '../writer/create-writer';
import { DEFAULT_TIER_MODELS } from '../writer/model-tiers';
import type { AskConfig } from './ask-config';
import { type Answerer, CodeAnswerer } from './answerer';
import { ClaudeAnswerer } from './claude-answerer';

type Env = Readonly<Record<string, string | undefined>>;

/** `ANTHROPIC_MODEL_ANSWER`, else `ANTHROPIC_MODEL`: the model that answers questions. */
export const ANSWER_MODEL_ENV = 'ANTHROPIC_MODEL_ANSWER';

/**
 * Claude with the tools when there is a key (the code-built answerer standing in whenever it
 * fails), the code-built answerer otherwise. Token use counts against the writers' daily budget.
 */
export function createAnswererFromEnv(env: Env, apiKey: string | undefined, ledger: TokenLedger, clock: Clock, config: AskConfig, log?: WriterLog): Answerer {
  const code = new CodeAnswerer();
  if (!apiKey) return code;
  return new ClaudeAnswerer({
    client: createAnthropicClient({ apiKey, baseURL: env.ANTHROPIC_BASE_URL || undefined }),
    model: env[ANSWER_MODEL_ENV] || env[LambdaEnv.anthropicModel] || DEFAULT_TIER_MODELS.standard,
    fallback: code,
    maxToolCalls: config.maxToolCalls,
    budget: { ledger, dailyTokens: dailyTokenBudget(env), clock },
    ...(log ? { log } : {}),
  });
}
