import type { EventBridgeEvent } from 'aws-lambda';
import { anthropicKeyFetch } from '../adapters/anthropic-key-fetch';
import { canonicalEventSchema } from '../core/canonical-event';
import { ServiceSecretNames } from '../core/lambda-env';
import { canonicalEventId, instrumented } from '../core/lambda-handler';
import { logger, logTo } from '../core/logger';
import { once } from '../core/once';
import { systemClock } from '../ports/clock';
import { loadAskConfig } from './ask-config';
import { type AnswerWorkerDeps, handleAskEvent } from './answer-worker';
import { createAnswererFromEnv } from './create-answerer';
import { lambdaSecrets, lambdaStore, lambdaTable } from '../wiring/lambda-clients';
import { lambdaChat, lambdaOutbox } from '../wiring/lambda-infrastructure';
import { answerWorkerDeps } from '../wiring/worker-deps';

// CDK always sets ASK_ALLOWED_USER_IDS (the approvers and the escalation user unless configured).
const config = loadAskConfig(process.env, []);
const { db, tableName } = lambdaTable();

const dependencies = once(async (): Promise<AnswerWorkerDeps> => {
  const store = lambdaStore();
  const secrets = lambdaSecrets();
  const apiKey = await secrets.get(ServiceSecretNames.anthropicApiKey);
  const answerer = createAnswererFromEnv(process.env, apiKey, store, systemClock, config, logTo('warn'), anthropicKeyFetch(secrets));
  // Slack (and its token) are loaded at the first post or status, like the other workers.
  const infrastructure = { db, tableName, store, outbox: lambdaOutbox().outbox, clock: systemClock };
  return answerWorkerDeps(infrastructure, { answerer, assistant: lambdaChat(), config, log: logTo('warn') });
});

/** EventBridge target: one question (or an assistant pane opened) per invocation; errors rethrow so EventBridge retries. */
export const handler = instrumented(canonicalEventId, async (event: EventBridgeEvent<string, unknown>): Promise<void> => {
  const question = canonicalEventSchema.parse(event.detail);
  await handleAskEvent(question, await dependencies());
  logger.info('question handled', { type: question.type });
});
