import { LocalTimers } from '../functions/adapters/local-timers';
import type { CanonicalEvent } from '../functions/core/canonical-event';
import type { EscalationConfig } from '../functions/escalations/escalation-config';
import { handleEscalationEvent, handleTimerFired } from '../functions/escalations/escalation-worker';
import { systemTimerHost, type TimerHost } from '../functions/ports/timers';
import { escalationWorkerDeps, type WorkerInfrastructure } from '../functions/wiring/worker-deps';

export interface LocalEscalationsOptions {
  infrastructure: WorkerInfrastructure;
  config: EscalationConfig;
  incidentsChannel: string;
  log: (message: string, detail: Record<string, unknown>) => void;
  host?: TimerHost;
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
  const { infrastructure, config, incidentsChannel, log } = options;
  const timers = new LocalTimers(infrastructure.db, infrastructure.tableName, { host: options.host ?? systemTimerHost, clock: infrastructure.clock, log });
  const deps = escalationWorkerDeps(infrastructure, { timers, config, incidentsChannel, log });
  timers.onFire(async (payload) => {
    await handleTimerFired(payload, deps);
  });
  const restored = await timers.restore();
  return { worker: (event) => handleEscalationEvent(event, deps), timers, restored, stop: () => timers.stop() };
}
