import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Read and write request units. */
export interface Units {
  read: number;
  write: number;
}

/** Capacity units DynamoDB reported, summed, split into reads and writes (on-demand bills them as request units), and by step. */
export interface CapacityMeter {
  readUnits: number;
  writeUnits: number;
  calls: number;
  /** Units by the step that spent them (`withStep`), `other` outside any. */
  byStep: Map<string, Units>;
  reset(): void;
}

const READS = /^(Get|BatchGet|Query|Scan|TransactGet)/;
const currentStep = new AsyncLocalStorage<string>();

/** Runs `work` as `step`: what it (and anything it starts) spends is counted under that name. */
export function withStep<T>(step: string, work: () => Promise<T>): Promise<T> {
  return currentStep.run(step, work);
}

/**
 * Asks every call of `db` for `ReturnConsumedCapacity: TOTAL` and sums what DynamoDB reports,
 * so the cost figure comes from measured consumption of the real code paths, not from a guess
 * of what each path does. `step` names every call of this client (e.g. `outbox`) whatever runs it.
 */
export function meterCapacity(db: DynamoDBDocumentClient, step?: string, meter: CapacityMeter = newMeter()): CapacityMeter {
  db.middlewareStack.add(
    (next, context) => async (args) => {
      (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] }).ConsumedCapacity;
      const units = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
      const read = READS.test(context.commandName ?? '');
      meter.calls += 1;
      if (read) meter.readUnits += units;
      else meter.writeUnits += units;
      const name = step ?? currentStep.getStore() ?? 'other';
      const spent = meter.byStep.get(name) ?? { read: 0, write: 0 };
      if (read) spent.read += units;
      else spent.write += units;
      meter.byStep.set(name, spent);
      return result;
    },
    { step: 'initialize', name: 'meterConsumedCapacity' },
  );
  return meter;
}

function newMeter(): CapacityMeter {
  const meter: CapacityMeter = {
    readUnits: 0,
    writeUnits: 0,
    calls: 0,
    byStep: new Map(),
    reset() {
      meter.readUnits = 0;
      meter.writeUnits = 0;
      meter.calls = 0;
      meter.byStep = new Map();
    },
  };
  return meter;
}
