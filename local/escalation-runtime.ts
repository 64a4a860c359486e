import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoWriteClaims } from '../functions/adapters/dynamo-write-claims';
import { DynamoEscalationStore } from '../functions/adapters/dynamo-escalations';
import type { DynamoStore } from '../functions/adapters/dynamo-store';
import { LocalTimers } from '../functions/adapters/local-timers';
import type { CanonicalEvent } from '../functions/core/canonical-event';
import type { EscalationConfig } from '../functions/escalations/escalation-config';
import { type EscalationWorkerDeps, handleEscalationEvent, handleTimerFired } from '../functions/escalations/escalation-worker';
import type { ApprovalStore } from '../functions/ports/approval-store';
import type { Clock } from '../functions/ports/clock';
import type { Outbox } from '../functions/ports/outbox';
import { systemTimerHost, type TimerHost } from '../functions/ports/timers';
import type { Writer } from '../functions/ports/writer';

export interface LocalEscalationsOptions {
  db: DynamoDBDocumentClient;
  tableName: string;
  store: DynamoStore;
  outbox: Outbox;
  writer: Writer;
  clock: Clock;
  config: EscalationConfig;
  incidentsChannel: string;
  log: (message: string, detail: Record<string, unknown>) => void;
  host?: TimerHost;
  approvals?: ApprovalStore;
}

export interface LocalEscalations {
  /** The escalation worker, for the local bus. */
  worker: (event: CanonicalEvent) => Promise<void>;
  timers: LocalTimers;
  /** Pending timers found in DynamoDB at start (each re-armed; overdue ones fire at once). */
  restored: number;
  stop(): Promise<void>;
}

/**
 * The escalation worker with in-process timers, as `npm start` runs it: pending timers are
 * read back from DynamoDB when it starts, so a restart loses none.
 */
export async function startLocalEscalations(options: LocalEscalationsOptions): Promise<LocalEscalations> {
  const timers = new LocalTimers(options.db, options.tableName, { host: options.host ?? systemTimerHost, clock: options.clock, log: options.log });
  const deps: EscalationWorkerDeps = {
    incidents: options.store,
    escalations: new DynamoEscalationStore(options.db, options.tableName),
    claims: new DynamoWriteClaims(options.db, options.tableName),
    timers,
    outbox: options.outbox,
    writer: options.writer,
    clock: options.clock,
    config: options.config,
    incidentsChannel: options.incidentsChannel,
    log: options.log,
    approvals: options.approvals,
  };
  timers.onFire(async (payload) => {
    await handleTimerFired(payload, deps);
  });
  const restored = await timers.restore();
  return { worker: (event) => handleEscalationEvent(event, deps), timers, restored, stop: () => timers.stop() };
}
