import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { timeIndexAttributes } from '../functions/adapters/dynamo-keys';
import { tableDefinition as t } from '../functions/core/table-definition';

/**
 * Fills a table with `count` incident-timeline records on the time index, every five minutes
 * going back from `outside.before` and, when `outside.after` is given, half of them going forward
 * from it: the history a digest must not pay for. The nearest ones share a day partition with
 * the window's first and last day, so only the sort-key condition keeps them out. Used by the
 * flat-cost test and `npm run bench:digest`.
 */
export async function seedHistory(
  db: DynamoDBDocumentClient,
  tableName: string,
  count: number,
  outside: { before: Date; after?: Date },
  concurrency = 8,
): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < count; i += 25) {
    batches.push(
      Array.from({ length: Math.min(25, count - i) }, (_, j) => {
        const n = i + j;
        const step = (outside.after ? Math.floor(n / 2) : n) + 1;
        const at = new Date(outside.after && n % 2 === 1 ? outside.after.getTime() + step * 300_000 : outside.before.getTime() - step * 300_000).toISOString();
        const id = `seed-${n}`;
        return {
          [t.partitionKey]: `INCIDENT#pagerduty#SEED${Math.floor(n / 4)}`,
          [t.sortKey]: `EVENT#${at}#${id}`,
          ...timeIndexAttributes(at, id),
          kind: 'incident-event',
          type: 'incident.triggered',
          event: {
            id,
            source: 'pagerduty',
            type: 'incident.triggered',
            occurredAt: at,
            deliveryId: id,
            subject: { kind: 'incident', id: `SEED${Math.floor(n / 4)}`, key: `#${n}`, title: 'Seeded historical incident' },
            priority: 'P3',
            actors: [],
            links: [],
            facts: { status: 'triggered', service: 'seed-service', createdAt: at },
          },
        };
      }),
    );
  }
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const batch = batches[next];
      next += 1;
      if (!batch) continue;
      let requests = batch.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0 && attempt < 10; attempt += 1) {
        const result = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
        requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
      }
      if (requests.length > 0) throw new Error('DynamoDB left seed items unprocessed');
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}
