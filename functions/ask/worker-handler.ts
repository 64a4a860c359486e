import type { EventBridgeEvent } from 'aws-lambda';
import { createDocumentClient } from '../adapters/dynamo-client';
import { DynamoApprovalStore } from '../adapters/dynamo-approvals';
import { slackChatFromSecrets } from '../adapters/lazy-slack-chat';
import { DynamoConversationStore } from '../adapters/dynamo-conversations';
import { DynamoWriteClaims } from '../adapters/dynamo-write-claims';
import { DynamoStore } from '../adapters/dynamo-store';
import { SecretsManagerSecrets } from '../adapters/secrets-manager-secrets';
import { canonicalEventSchema } from '../core/canonical-event';
import { required } from '../core/env';
import { LambdaEnv, ServiceSecretNames } from '../core/lambda-env';
import { canonicalEventId, instrumented } from '../core/lambda-handler';
import { logger, logTo } from '../core/logger';
import { once } from '../core/once';
import { createOutbox } from '../outbox/create-outbox';
import { systemClock } from '../ports/clock';
import { loadAskConfig } from './ask-config';
import { type AnswerWorkerDeps, handleAskEvent } from './answer-worker';
import { createAnswererFromEnv } from './create-answerer';

const tableName = required(process.env, LambdaEnv.tableName);
const db = createDocumentClient();
const store = new DynamoStore(db, tableName);
// CDK always sets ASK_ALLOWED_USER_IDS (the approvers and the escalation user unless configured).
const config = loadAskConfig(process.env, []);
const secrets = new SecretsManagerSecrets(process.env);

const dependencies = once(async (): Promise<AnswerWorkerDeps> => {
  // Slack (and its token) are loaded at the first post or status, like the other workers.
  const chat = slackChatFromSecrets(secrets);
  return {
    reads: { store, approvals: new DynamoApprovalStore(db, tableName), config: config.digest },
    conversations: new DynamoConversationStore(db, tableName),
    claims: new DynamoWriteClaims(db, tableName),
    outbox: createOutbox(db, tableName, chat, logTo('warn')).outbox,
    answerer: createAnswererFromEnv(process.env, await secrets.get(ServiceSecretNames.anthropicApiKey), store, systemClock, config, logTo('warn')),
    assistant: chat,
    clock: systemClock,
    config,
    log: logTo('warn'),
  };
});

/** EventBridge target: one question (or an assistant pane opened) per invocation; errors rethrow so EventBridge retries. */
export const handler = instrumented(canonicalEventId, async (event: EventBridgeEvent<string, unknown>): Promise<void> => {
  const question = canonicalEventSchema.parse(event.detail);
  await handleAskEvent(question, await dependencies());
  logger.info('question handled', { type: question.type });
});
