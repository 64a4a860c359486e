import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { createDocumentClient } from '../adapters/dynamo-client';
import { DynamoApprovalStore } from '../adapters/dynamo-approvals';
import { EventBridgeBus } from '../adapters/eventbridge-bus';
import { SecretsManagerSecrets } from '../adapters/secrets-manager-secrets';
import { SlackChat } from '../adapters/slack-chat';
import { ConfigError, required } from '../core/env';
import { LambdaEnv, ServiceSecretNames } from '../core/lambda-env';

/* What the three approval Lambdas share, built once per container. */

export const secrets = new SecretsManagerSecrets(process.env);
export const approvals = new DynamoApprovalStore(createDocumentClient(), required(process.env, LambdaEnv.tableName));
export const bus = new EventBridgeBus(new EventBridgeClient({}), required(process.env, LambdaEnv.eventBusName));

/**
 * Slack with the bot token, read on first use (then cached by Powertools), not at import.
 * `fast` is for the interactions function, which must answer Slack within 3 s; the worker uses
 * the adapter's defaults, so a slow but successful post is not cut short and retried.
 */
export async function slackChat(options: { fast?: boolean } = {}): Promise<SlackChat> {
  const token = await secrets.get(ServiceSecretNames.slackBotToken);
  if (!token) throw new ConfigError('The Slack bot token secret is empty');
  return new SlackChat(options.fast ? { token, timeoutMs: 2500, retries: 1 } : { token });
}

/** Memoises an async factory, forgetting a failure so the next invocation tries again. */
export function once<T>(factory: () => Promise<T>): () => Promise<T> {
  let ready: Promise<T> | undefined;
  return () => {
    ready ??= factory().catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  };
}
