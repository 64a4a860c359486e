import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** Capacity units DynamoDB reported, summed, split into reads and writes (on-demand bills them as request units). */
export interface CapacityMeter {
  readUnits: number;
  writeUnits: number;
  calls: number;
  reset(): void;
}

const READS = /^(Get|BatchGet|Query|Scan|TransactGet)/;

/**
 * Asks every call of `db` for `ReturnConsumedCapacity: TOTAL` and sums what DynamoDB reports,
 * so the cost figure comes from measured consumption of the real code paths, not from a guess
 * of what each path does.
 */
export function meterCapacity(db: DynamoDBDocumentClient): CapacityMeter {
  const meter: CapacityMeter = {
    readUnits: 0,
    writeUnits: 0,
    calls: 0,
    reset() {
      meter.readUnits = 0;
      meter.writeUnits = 0;
      meter.calls = 0;
    },
  };
  db.middlewareStack.add(
    (next, context) => async (args) => {
      (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] }).ConsumedCapacity;
      const units = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
      meter.calls += 1;
      if (READS.test(context.commandName ?? '')) meter.readUnits += units;
      else meter.writeUnits += units;
      return result;
    },
    { step: 'initialize', name: 'meterConsumedCapacity' },
  );
  return meter;
}
