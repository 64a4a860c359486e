import { AsyncLocalStorage } from 'node:async_hooks';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { tableDefinition } from '../../functions/core/table-definition';
import { itemSize } from './item-size';

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
/** Set while the meter reads items for its own sizing: those reads are not the service's. */
const sizing = new AsyncLocalStorage<true>();

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
      if (sizing.getStore()) return next(args);
      (args.input as Record<string, unknown>).ReturnConsumedCapacity = 'TOTAL';
      const transaction = /^TransactWrite/.test(context.commandName ?? '') ? (args.input as TransactWriteInput) : undefined;
      const before = transaction ? await transactionItemSizes(db, transaction) : [];
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] }).ConsumedCapacity;
      let units = (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []).reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
      if (transaction) units = Math.max(units, transactionWriteUnits(before, await transactionItemSizes(db, transaction)));
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

type TransactWriteInput = { TransactItems?: Record<string, { TableName?: string; Key?: Record<string, unknown>; Item?: Record<string, unknown> }>[] };

/**
 * DynamoDB Local under-reports TransactWriteItems (four 100-byte items: 2 units; DynamoDB bills 8).
 * DynamoDB bills a transactional write 2 units per KB of each item, the larger of its size before
 * and after, so the meter reads every item of the transaction before and after it and bills that.
 */
function transactionWriteUnits(before: number[], after: number[]): number {
  return before.reduce((sum, size, i) => sum + 2 * Math.max(1, Math.ceil(Math.max(size, after[i] ?? 0) / 1024)), 0);
}

/** The size of each item a transaction names (0 when absent), read outside the meter. */
async function transactionItemSizes(db: DynamoDBDocumentClient, input: TransactWriteInput): Promise<number[]> {
  return sizing.run(true, () =>
    Promise.all(
      (input.TransactItems ?? []).map(async (entry) => {
        const op = Object.values(entry)[0];
        const key = op?.Key ?? keyOf(op?.Item);
        if (!op?.TableName || !key) return 0;
        const { Item } = await db.send(new GetCommand({ TableName: op.TableName, Key: key, ConsistentRead: true }));
        return Item ? itemSize(Item) : 0;
      }),
    ),
  );
}

/** A Put's key: the single table's partition and sort key attributes. */
const keyOf = (item?: Record<string, unknown>) => {
  const { partitionKey, sortKey } = tableDefinition;
  return item && partitionKey in item ? { [partitionKey]: item[partitionKey], [sortKey]: item[sortKey] } : undefined;
};

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
