import type { EventBridgeEvent } from 'aws-lambda';
import { DynamoWriteClaims } from '../adapters/dynamo-write-claims';
import { DynamoStore } from '../adapters/dynamo-store';
import { JiraRest } from '../adapters/jira-rest';
import { canonicalEventSchema } from '../core/canonical-event';
import { ServiceSecretNames } from '../core/lambda-env';
import { logger, logTo } from '../core/logger';
import { canonicalEventId, instrumented } from '../core/lambda-handler';
import { systemClock } from '../ports/clock';
import { createWriterFromEnv } from '../writer/create-writer';
import { loadApprovalConfig } from './approval-config';
import { once } from '../core/once';
import { approvalOutbox, approvals, bus, db, secrets, slackChat, tableName } from './approval-deps';
import { type ApprovalWorkerDeps, handleApprovalWorkerEvent } from './approval-worker';

const config = loadApprovalConfig(process.env);
const ledger = new DynamoStore(db, tableName);

const dependencies = once<ApprovalWorkerDeps>(async () => {
  const { writeBack } = config;
  const jiraToken = writeBack.enabled ? await secrets.get(ServiceSecretNames.jiraApiToken) : undefined;
  const chat = slackChat();
  return {
    approvals,
    claims: new DynamoWriteClaims(db, tableName),
    bus,
    chat,
    outbox: approvalOutbox(chat),
    clock: systemClock,
    config,
    writer: createWriterFromEnv(process.env, await secrets.get(ServiceSecretNames.anthropicApiKey), ledger, systemClock, logTo('warn')),
    ...(writeBack.baseUrl && writeBack.email && jiraToken ? { tracker: new JiraRest({ baseUrl: writeBack.baseUrl, email: writeBack.email, apiToken: jiraToken }) } : {}),
  };
});

/** EventBridge target: trigger events and approval events; errors rethrow so EventBridge retries. */
export const handler = instrumented(canonicalEventId, async (event: EventBridgeEvent<string, unknown>): Promise<void> => {
  const parsed = canonicalEventSchema.parse(event.detail);
  await handleApprovalWorkerEvent(parsed, await dependencies());
  logger.info('approval worker handled event', { type: parsed.type, subject: parsed.subject.id });
});
