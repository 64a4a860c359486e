import { PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { meterCapacity } from '../../scripts/bench/metered-client';
import { freshTable } from '../support/dynamo';

/**
 * The cost bench's meter against DynamoDB Local: plain writes as Local reports them, transactions
 * as DynamoDB bills them (Local under-reports those), so the bench's AWS figure is not low.
 */
describe('bench capacity meter', () => {
  it('bills a transaction 2 units per KB of each item, and a plain put as reported', async () => {
    const { db, tableName } = await freshTable('meter');
    const meter = meterCapacity(db, 'test');
    const small = (n: number) => ({ Put: { TableName: tableName, Item: { pk: `T#${n}`, sk: 'A', note: 'x'.repeat(100) } } });
    await db.send(new TransactWriteCommand({ TransactItems: [small(1), small(2), small(3), small(4)] }));
    expect(meter.writeUnits).toBe(8);

    meter.reset();
    const big = (n: number) => ({ Put: { TableName: tableName, Item: { pk: `B#${n}`, sk: 'A', note: 'y'.repeat(2_100) } } });
    await db.send(new TransactWriteCommand({ TransactItems: [big(1), big(2)] }));
    expect(meter.writeUnits).toBe(12);

    // An update is billed on the larger of the item before and after: shrinking a 2.1 KB item still costs 3 KB x 2.
    meter.reset();
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Update: { TableName: tableName, Key: { pk: 'B#1', sk: 'A' }, UpdateExpression: 'SET note = :n', ExpressionAttributeValues: { ':n': 'z' } } },
        ],
      }),
    );
    expect(meter.writeUnits).toBe(6);

    meter.reset();
    await db.send(new PutCommand({ TableName: tableName, Item: { pk: 'P#1', sk: 'A', note: 'x'.repeat(100) } }));
    await db.send(
      new UpdateCommand({ TableName: tableName, Key: { pk: 'P#1', sk: 'A' }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': 1 } }),
    );
    expect(meter.writeUnits).toBe(2);
    expect(meter.byStep.get('test')).toEqual({ read: 0, write: 2 });
  });
});
