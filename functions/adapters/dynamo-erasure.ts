import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { tableDefinition as t } from '../core/table-definition';
import type { CandidateErasure, RecordKey } from '../ports/store';
import { queryTable, readPartition, type TableAccess } from './dynamo-records';

/** A GDPR erasure: every record on the `byCandidate` index for one candidate, and their whole application histories. */
export class DynamoErasure implements CandidateErasure {
  constructor(private readonly table: TableAccess) {}

  async forgetCandidate(candidateKey: string): Promise<RecordKey[]> {
    const keys = new Map<string, RecordKey>();
    const add = (item: Record<string, unknown>) => {
      const key = { pk: String(item[t.partitionKey]), sk: String(item[t.sortKey]) };
      keys.set(`${key.pk}\u0000${key.sk}`, key);
    };
    const indexed = await queryTable(this.table, {
      IndexName: t.candidateIndex.name,
      KeyConditionExpression: '#ck = :ck',
      ExpressionAttributeNames: { '#ck': t.candidateIndex.partitionKey },
      ExpressionAttributeValues: { ':ck': candidateKey },
    });
    indexed.forEach(add);
    // Whole application histories go too, including any record the index has not caught up with.
    const applications = new Set([...keys.values()].map((key) => key.pk).filter((pk) => pk.startsWith('APPLICATION#')));
    for (const pk of applications) (await readPartition(this.table, pk, '#pk, #sk')).forEach(add);
    const all = [...keys.values()].sort((a, b) => a.pk.localeCompare(b.pk) || a.sk.localeCompare(b.sk));
    await this.deleteAll(all);
    return all;
  }

  /** Batch deletes (25 per request, DynamoDB's limit), retrying unprocessed items a bounded number of times. */
  private async deleteAll(keys: readonly RecordKey[]): Promise<void> {
    const tableName = this.table.tableName;
    for (let start = 0; start < keys.length; start += 25) {
      let requests = keys.slice(start, start + 25).map((key) => ({ DeleteRequest: { Key: { [t.partitionKey]: key.pk, [t.sortKey]: key.sk } } }));
      for (let attempt = 0; requests.length > 0; attempt += 1) {
        if (attempt === 8) throw new Error(`DynamoDB left ${requests.length} deletions unprocessed after ${attempt} attempts; run the erasure again`);
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
        const result = await this.table.db.send(new BatchWriteCommand({ RequestItems: { [tableName]: requests } }));
        requests = (result.UnprocessedItems?.[tableName] ?? []) as typeof requests;
      }
    }
  }
}
