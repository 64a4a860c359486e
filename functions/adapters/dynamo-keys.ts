import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { tableDefinition as t } from '../core/table-definition';

/** Puts a record on `byTime`: a day bucket, then instant and id for order within the day. */
export function timeIndexAttributes(instant: string, id: string): Record<string, string> {
  const iso = new Date(instant).toISOString();
  return { [t.timeIndex.partitionKey]: `DAY#${iso.slice(0, 10)}`, [t.timeIndex.sortKey]: `${iso}#${id}` };
}

/** Monthly bucket on `byTime` for change records (deployments, merged pull requests): `CHANGES#YYYY-MM`. */
export function changeBucket(instant: Date): string {
  return `CHANGES#${instant.toISOString().slice(0, 7)}`;
}

/** Puts a change record on `byTime` in its month's bucket, apart from the day buckets the digest reads. */
export function changeIndexAttributes(instant: string, id: string): Record<string, string> {
  const at = new Date(instant);
  return { [t.timeIndex.partitionKey]: changeBucket(at), [t.timeIndex.sortKey]: `${at.toISOString()}#${id}` };
}

/** Puts a record on the sparse `byCandidate` index when it concerns a known candidate. */
export function candidateAttribute(candidateKey: string | undefined): Record<string, string> {
  return candidateKey ? { [t.candidateIndex.partitionKey]: candidateKey } : {};
}

export function epochSeconds(instant: Date): number {
  return Math.floor(instant.getTime() / 1000);
}

/** Every item of a query, across pages; `onPage` sees each page's counts (items read, capacity). */
export async function queryAll(
  db: DynamoDBDocumentClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
  onPage?: (page: QueryCommandOutput) => void,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await db.send(new QueryCommand({ ...input, ExclusiveStartKey: startKey }));
    onPage?.(page);
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}
