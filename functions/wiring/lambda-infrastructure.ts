import { anthropicKeyFetch } from '../adapters/anthropic-key-fetch';
import { slackChatFromSecrets } from '../adapters/lazy-slack-chat';
import { ServiceSecretNames } from '../core/lambda-env';
import { logTo } from '../core/logger';
import { lazy, once } from '../core/once';
import { createOutbox, type OutboxParts } from '../outbox/create-outbox';
import type { AssistantThreads } from '../ports/assistant-threads';
import type { Chat } from '../ports/chat';
import { systemClock } from '../ports/clock';
import type { Writer } from '../ports/writer';
import { createWriterFromEnv } from '../writer/create-writer';
import { lambdaSecrets, lambdaStore, lambdaTable } from './lambda-clients';
import type { WorkerInfrastructure } from './worker-deps';

/*
 * What a writing Lambda function builds from its environment, once per container: Slack (its SDK
 * and token loaded at the first call), the outbox and the writer, over the table and secrets of
 * lambda-clients.ts. Nothing is built until a handler asks for it.
 */

export const lambdaChat = /* @__PURE__ */ lazy((): Chat & AssistantThreads => slackChatFromSecrets(lambdaSecrets()));

/** The outbox on the table, delivering with `chat` (the function's Slack unless it needs other timeouts). */
export function lambdaOutbox(chat: Chat = lambdaChat()): OutboxParts {
  const { db, tableName } = lambdaTable();
  return createOutbox(db, tableName, chat, logTo('warn'));
}

/**
 * The Anthropic key is a secret: the writer is built at the first invocation, then kept; each
 * request sends the key the secrets hold then, re-read once if Anthropic refuses it.
 */
export const lambdaWriter = /* @__PURE__ */ once(async (): Promise<Writer> =>
  createWriterFromEnv(
    process.env,
    await lambdaSecrets().get(ServiceSecretNames.anthropicApiKey),
    lambdaStore(),
    systemClock,
    logTo('warn'),
    anthropicKeyFetch(lambdaSecrets()),
  ),
);

/**
 * The table, store, outbox and writer a writing worker runs on. Called at module load: the table's
 * client is built in the init phase and a missing TABLE_NAME fails the cold start, naming it;
 * the rest waits for the first invocation (the writer needs a secret).
 */
export function lambdaWorkerInfrastructure(): () => Promise<WorkerInfrastructure> {
  const table = lambdaTable();
  return once(async () => ({ ...table, store: lambdaStore(), outbox: lambdaOutbox().outbox, writer: await lambdaWriter(), clock: systemClock }));
}
