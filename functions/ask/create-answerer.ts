import { LambdaEnv } from '../core/lambda-env';
import type { Clock } from '../ports/clock';
import type { TokenLedger } from '../ports/token-ledger';
import type { AnthropicClientConfig, WriterLog } from '../writer/claude-writer';
import { dailyTokenBudget, modelEnvName } from '../writer/create-writer';
import { DEFAULT_TIER_MODELS } from '../writer/model-tiers';
import { kindSpecs } from '../documents/registry';
import type { AskConfig } from './ask-config';
import { ANSWER_KIND } from './answer';
import { type Answerer, CodeAnswerer } from './answerer';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Claude with the tools when there is a key (the code-built answerer standing in whenever it
 * fails), the code-built answerer otherwise. Token use counts against the writers' daily budget.
 */
export function createAnswererFromEnv(
  env: Env,
  apiKey: string | undefined,
  ledger: TokenLedger,
  clock: Clock,
  config: AskConfig,
  log?: WriterLog,
  fetch?: AnthropicClientConfig['fetch'],
): Answerer {
  const code = new CodeAnswerer();
  if (!apiKey) return code;
  // As the writers do: the Anthropic SDK is loaded at the first question, not at cold start (an
  // assistant pane opening or a refusal never needs it).
  let claude: Promise<Answerer> | undefined;
  return {
    answer: async (request) => {
      claude ??= Promise.all([import('./claude-answerer'), import('../writer/claude-writer')]).then(
        ([{ ClaudeAnswerer }, { createAnthropicClient }]) =>
          new ClaudeAnswerer({
            client: createAnthropicClient({ apiKey, baseURL: env.ANTHROPIC_BASE_URL || undefined, fetch }),
            model: answerModel(env),
            fallback: code,
            maxToolCalls: config.maxToolCalls,
            budget: { ledger, dailyTokens: dailyTokenBudget(env), clock },
            ...(log ? { log } : {}),
          }),
      );
      // A failed load is tried again at the next question, not kept for the container's life.
      claude.catch(() => {
        claude = undefined;
      });
      return (await claude).answer(request);
    },
  };
}

/** `ANTHROPIC_MODEL_ANSWER` (the override every document kind has), else the answer kind's tier as the writer picks it. */
function answerModel(env: Env): string {
  const tier = kindSpecs[ANSWER_KIND].model;
  const standard = env[LambdaEnv.anthropicModel] || DEFAULT_TIER_MODELS.standard;
  return env[modelEnvName(ANSWER_KIND)] || (tier === 'standard' ? standard : DEFAULT_TIER_MODELS.fast);
}
