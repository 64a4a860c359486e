import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoApprovalStore } from '../adapters/dynamo-approvals';
import { EventBridgeBus } from '../adapters/eventbridge-bus';
import { slackChatFromSecrets } from '../adapters/lazy-slack-chat';
import { required } from '../core/env';
import { LambdaEnv } from '../core/lambda-env';
import type { Chat } from '../ports/chat';
import type { Outbox } from '../ports/outbox';
import { lambdaSecrets, lambdaTable } from '../wiring/lambda-clients';
import { lambdaOutbox } from '../wiring/lambda-infrastructure';

/* What the three approval Lambdas share, built once per container. */

export const secrets = lambdaSecrets();
export const approvals = new DynamoApprovalStore(lambdaTable().db, lambdaTable().tableName);
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
  return lambdaOutbox(chat).outbox;
}
