import type { EventBridgeEvent } from 'aws-lambda';
import { jiraFromSecrets } from '../adapters/jira-from-secrets';
import { canonicalEventSchema } from '../core/canonical-event';
import { ServiceSecretNames } from '../core/lambda-env';
import { logger } from '../core/logger';
import { canonicalEventId, instrumented } from '../core/lambda-handler';
import { systemClock } from '../ports/clock';
import { loadApprovalConfig } from './approval-config';
import { once } from '../core/once';
import { approvalOutbox, approvals, bus, secrets, slackChat } from './approval-deps';
import { lambdaTable } from '../wiring/lambda-clients';
import { lambdaWriter } from '../wiring/lambda-infrastructure';
import { DynamoWriteClaims } from '../adapters/dynamo-write-claims';
import { type ApprovalWorkerDeps, handleApprovalWorkerEvent } from './approval-worker';

const config = loadApprovalConfig(process.env);

const dependencies = once<ApprovalWorkerDeps>(async () => {
  const { writeBack } = config;
  // Write-back only when a token is set at the cold start; a rotated one is followed (jira-from-secrets.ts).
  const jiraToken = writeBack.enabled ? await secrets.get(ServiceSecretNames.jiraApiToken) : undefined;
  const chat = slackChat();
  return {
    approvals,
    claims: new DynamoWriteClaims(lambdaTable().db, lambdaTable().tableName),
    bus,
    chat,
    outbox: approvalOutbox(chat),
    clock: systemClock,
    config,
    writer: await lambdaWriter(),
    ...(writeBack.baseUrl && writeBack.email && jiraToken ? { tracker: jiraFromSecrets(secrets, { baseUrl: writeBack.baseUrl, email: writeBack.email }) } : {}),
  };
});

/** EventBridge target: trigger events and approval events; errors rethrow so EventBridge retries. */
export const handler = instrumented(canonicalEventId, async (event: EventBridgeEvent<string, unknown>): Promise<void> => {
  const parsed = canonicalEventSchema.parse(event.detail);
  await handleApprovalWorkerEvent(parsed, await dependencies());
  logger.info('approval worker handled event', { type: parsed.type, subject: parsed.subject.id });
});
