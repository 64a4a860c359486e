import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { createDocumentClient } from '../adapters/dynamo-client';
import { DynamoApprovalStore } from '../adapters/dynamo-approvals';
import { EventBridgeBus } from '../adapters/eventbridge-bus';
import { SecretsManagerSecrets } from '../adapters/secrets-manager-secrets';
import { slackChatFromSecrets } from '../adapters/lazy-slack-chat';
import { required } from '../core/env';
import { LambdaEnv } from '../core/lambda-env';
import { logTo } from '../core/logger';
import { createOutbox } from '../outbox/create-outbox';
import type { Chat } from '../ports/chat';
import type { Outbox } from '../ports/outbox';

/* What the three approval Lambdas share, built once per container. */

export const secrets = new SecretsManagerSecrets(process.env);
export const tableName = required(process.env, LambdaEnv.tableName);
export const db = createDocumentClient();
export const approvals = new DynamoApprovalStore(db, tableName);
export const bus = new EventBridgeBus(new EventBridgeClient({}), required(process.env, LambdaEnv.eventBusName));

/**
 * `fast` is for the interactions function, which must answer Slack within 3 s; the worker uses
 * the adapter's defaults, so a slow but successful post is not cut short and retried.
 */
export function slackChat(options: { fast?: boolean } = {}): Chat {
  return slackChatFromSecrets(secrets, options.fast ? { timeoutMs: 2500, retries: 1 } : {});
}

/** The outbox every approval document goes through, delivering with `chat`. */
export function approvalOutbox(chat: Chat): Outbox {
  return createOutbox(db, tableName, chat, logTo('warn')).outbox;
}
