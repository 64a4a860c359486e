import { incidentAttentionStores } from '../adapters/dynamo-attention';
import { DynamoApprovalStore } from '../adapters/dynamo-approvals';
import { DynamoConversationStore } from '../adapters/dynamo-conversations';
import { DynamoEscalationStore } from '../adapters/dynamo-escalations';
import type { TableAccess } from '../adapters/dynamo-records';
import type { DynamoStore } from '../adapters/dynamo-store';
import { DynamoWeeklyStore } from '../adapters/dynamo-weekly';
import { DynamoWriteClaims } from '../adapters/dynamo-write-claims';
import type { AnswerWorkerDeps } from '../ask/answer-worker';
import type { Answerer } from '../ask/answerer';
import type { AskConfig } from '../ask/ask-config';
import type { DigestConfig } from '../digest/digest-config';
import type { DigestDeps } from '../digest/digest-runner';
import type { EscalationConfig } from '../escalations/escalation-config';
import type { EscalationWorkerDeps } from '../escalations/escalation-worker';
import type { AttentionConfig } from '../incidents/attention-config';
import type { IncidentWorkerDeps } from '../incidents/incident-worker';
import type { AssistantThreads } from '../ports/assistant-threads';
import type { Clock } from '../ports/clock';
import type { Outbox } from '../ports/outbox';
import type { Timers } from '../ports/timers';
import type { Writer } from '../ports/writer';
import type { WeeklyConfig } from '../weekly/weekly-config';
import type { WeeklyDeps } from '../weekly/weekly-runner';

/*
 * Each worker's dependencies, built one way for the Lambda handlers, the local runtime and the
 * tests. Callers bring the infrastructure (the table, the outbox over their chat, the writer,
 * the clock); the stores a worker needs on the table (its write-once claims among them) are made here.
 */

type LogFn = (message: string, detail: Record<string, unknown>) => void;

/** What every writing worker runs on. */
export interface WorkerInfrastructure extends TableAccess {
  store: DynamoStore;
  outbox: Outbox;
  writer: Writer;
  clock: Clock;
}

export function incidentWorkerDeps(infra: WorkerInfrastructure, options: { channel: string; config: AttentionConfig }): IncidentWorkerDeps {
  const { store, outbox, writer, clock } = infra;
  return { store, outbox, writer, clock, channel: options.channel, config: options.config, ...incidentAttentionStores(infra.db, infra.tableName) };
}

export function digestWorkerDeps(infra: WorkerInfrastructure, config: DigestConfig): DigestDeps {
  const { store, outbox, writer, clock } = infra;
  const { db, tableName } = infra;
  return {
    store,
    approvals: new DynamoApprovalStore(db, tableName),
    ledger: store,
    claims: new DynamoWriteClaims(db, tableName),
    outbox,
    writer,
    clock,
    config,
  };
}

export function weeklyWorkerDeps(infra: WorkerInfrastructure, config: WeeklyConfig): WeeklyDeps {
  const { db, tableName, store, outbox, writer, clock } = infra;
  return {
    store,
    weekly: new DynamoWeeklyStore(db, tableName),
    claims: new DynamoWriteClaims(db, tableName),
    approvals: new DynamoApprovalStore(db, tableName),
    outbox,
    writer,
    clock,
    config,
  };
}

export function escalationWorkerDeps(
  infra: WorkerInfrastructure,
  options: { timers: Timers; config: EscalationConfig; incidentsChannel: string; log: LogFn },
): EscalationWorkerDeps {
  const { db, tableName, store, outbox, writer, clock } = infra;
  return {
    incidents: store,
    escalations: new DynamoEscalationStore(db, tableName),
    claims: new DynamoWriteClaims(db, tableName),
    approvals: new DynamoApprovalStore(db, tableName),
    timers: options.timers,
    outbox,
    writer,
    clock,
    config: options.config,
    incidentsChannel: options.incidentsChannel,
    log: options.log,
  };
}

/** The answer worker reads through the digest's code and answers with its own answerer, not the writer. */
export function answerWorkerDeps(
  infra: Omit<WorkerInfrastructure, 'writer'>,
  options: { answerer: Answerer; assistant: AssistantThreads; config: AskConfig; log: LogFn },
): AnswerWorkerDeps {
  const { db, tableName, store, outbox, clock } = infra;
  return {
    reads: { store, approvals: new DynamoApprovalStore(db, tableName), config: options.config.digest },
    conversations: new DynamoConversationStore(db, tableName),
    claims: new DynamoWriteClaims(db, tableName),
    outbox,
    answerer: options.answerer,
    assistant: options.assistant,
    clock,
    config: options.config,
    log: options.log,
  };
}
