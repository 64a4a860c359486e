import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { CanonicalEvent } from '../core/canonical-event';
import { candidateKeyOf } from '../core/retention';
import { candidateAttribute, changeBucket, changeIndexAttributes, epochSeconds, queryAll, timeIndexAttributes } from './dynamo-keys';
import { claimLease } from './dynamo-lease';
import { asStoreError } from './dynamo-errors';
import { tableDefinition as t } from '../core/table-definition';
import type {
  CandidateErasure,
  ClaimResult,
  DeliveryRecord,
  DeliveryState,
  DeliveryStore,
  HiringStore,
  IncidentRecord,
  Enrich,
  IncidentStore,
  IssueStore,
  OpenIncident,
  IncidentBrief,
  RecordKey,
  TimelineEntry,
} from '../ports/store';
import type { DigestRecord, DigestStore, TimeWindowRead } from '../ports/digest-store';
import type { ChangeStore } from '../ports/change-store';
import type { DailySpend, TokenLedger } from '../ports/token-ledger';
import type { TokenUsage } from '../ports/writer';
import { totalTokens } from '../writer/pricing';

/** One item per open incident: "open now" is one small partition read, never a scan. */
const OPEN_INCIDENTS_PK = 'INCIDENTS#OPEN';

/** Model spend per day is kept for a year of budget history. */
const SPEND_TTL_SECONDS = 400 * 86_400;
/** Raw bodies are kept for audit, trimmed so an item stays far below DynamoDB's 400 KB. */
const RAW_BODY_LIMIT = 64 * 1024;

/**
 * Key design (one table, see docs/adr/0002-single-table.md):
 * - `DELIVERY#<source>#<deliveryId>` / `DELIVERY`         webhook delivery, de-duplication
 * - `INCIDENT#<source>#<id>` / `BRIEF`                     the brief's outbox id and document (see dynamo-outbox.ts)
 * - `INCIDENT#<source>#<id>` / `EVENT#<instant>#<eventId>` timeline entry;
 *    indexed by day on `byTime` for time-window reads
 * - `APPLICATION#<source>:<id>` / `EVENT#<instant>#<eventId>` one applicant-tracking event, on `byTime` too
 * - `ISSUE#<issueId>` / `EVENT#<instant>#<eventId>`       one Jira transition (cycle time), on `byTime` too
 * - `CHANGE#<source>#<kind>#<id>` / `EVENT#<instant>#<eventId>` one deployment status or merged pull
 *    request (DORA), on `byTime` in a monthly `CHANGES#YYYY-MM` bucket
 * - `INCIDENTS#OPEN` / `<incidentKey>`                    one item per unresolved incident
 * - `DIGEST#<period>` / `DIGEST`, `DIGEST#LAST` / `POINTER` each digest written, and where the next starts
 * - `SPEND#<YYYY-MM-DD>` / `TOKENS`                       the day's model spend (atomic counters)
 * Every record about a job candidate carries `candidateKey` and so is on the `byCandidate` index.
 */
export class DynamoStore implements DeliveryStore, IncidentStore, HiringStore, IssueStore, CandidateErasure, TokenLedger, DigestStore, ChangeStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async recordDelivery(record: DeliveryRecord): Promise<DeliveryState> {
    const raw = truncateUtf8(record.rawBody, RAW_BODY_LIMIT);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...deliveryKey(record.source, record.deliveryId),
            state: 'received',
            source: record.source,
            deliveryId: record.deliveryId,
            events: record.events,
            rawBody: raw.text,
            rawBodyTruncated: raw.truncated,
            receivedAt: record.receivedAt.toISOString(),
            [t.ttlAttribute]: epochSeconds(record.expiresAt),
            ...candidateAttribute(record.events.map(candidateKeyOf).find(Boolean)),
          },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': t.partitionKey },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'new';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        return error.Item?.state?.S === 'published' ? 'published' : 'unconfirmed';
      }
      throw asStoreError(error);
    }
  }

  async markDeliveryPublished(source: string, deliveryId: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: deliveryKey(source, deliveryId),
          UpdateExpression: 'SET #state = :published',
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#state': 'state', '#pk': t.partitionKey },
          ExpressionAttributeValues: { ':published': 'published' },
        }),
      );
    } catch (error) {
      throw asStoreError(error);
    }
  }

  async appendIncidentEvent(incidentKey: string, event: CanonicalEvent): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            [t.partitionKey]: incidentPk(incidentKey),
            [t.sortKey]: timelineSk(event),
            ...timeIndexAttributes(event.occurredAt, event.id),
            kind: 'incident-event',
            type: event.type,
            event,
          },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': t.partitionKey },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async loadIncident(incidentKey: string): Promise<IncidentRecord> {
    const record: IncidentRecord = { timeline: [] };
    const items = await this.partition(incidentPk(incidentKey));
    for (const item of items) {
      if (item[t.sortKey] === 'BRIEF') {
        if (item.brief) record.brief = item.brief as IncidentBrief;
      } else {
        record.timeline.push({ event: item.event } as TimelineEntry);
      }
    }
    return record;
  }

  async saveBrief(incidentKey: string, brief: IncidentBrief): Promise<IncidentBrief> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { [t.partitionKey]: incidentPk(incidentKey), [t.sortKey]: 'BRIEF', brief },
          ConditionExpression: 'attribute_not_exists(brief)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return brief;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return (await this.loadIncident(incidentKey)).brief ?? brief;
    }
  }

  async readTimeWindow(from: Date, to: Date): Promise<TimeWindowRead> {
    const read: TimeWindowRead = { items: [], itemsRead: 0, consumedCapacity: 0, queries: 0 };
    // One partition per UTC day; the sort key (`<instant>#<id>`) bounds each query to the window,
    // so records outside it are never read, however many there are.
    for (let day = startOfUtcDay(from); day < to; day = new Date(day.getTime() + 86_400_000)) {
      await this.readBucket(`DAY#${day.toISOString().slice(0, 10)}`, from, to, read);
    }
    return read;
  }

  async recordChangeEvent(event: CanonicalEvent, expiresAt: Date): Promise<void> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            [t.partitionKey]: `CHANGE#${event.source}#${event.subject.kind}#${event.subject.id}`,
            [t.sortKey]: timelineSk(event),
            ...changeIndexAttributes(event.occurredAt, event.id),
            kind: 'change-event',
            type: event.type,
            event,
            [t.ttlAttribute]: epochSeconds(expiresAt),
          },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': t.partitionKey },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async readChangeWindow(from: Date, to: Date): Promise<TimeWindowRead> {
    const read: TimeWindowRead = { items: [], itemsRead: 0, consumedCapacity: 0, queries: 0 };
    // One bucket per UTC month, each query bounded to the window by the sort key.
    for (let month = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), 1)); month < to; month = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1))) {
      await this.readBucket(changeBucket(month), from, to, read);
    }
    return read;
  }

  /** Adds the items of one `byTime` bucket with an instant in [from, to) to `read`, counting what it cost. */
  private async readBucket(bucket: string, from: Date, to: Date, read: TimeWindowRead): Promise<void> {
    if (to <= from) return;
    const items = await queryAll(
      this.db,
      {
        TableName: this.tableName,
        IndexName: t.timeIndex.name,
        KeyConditionExpression: '#bucket = :bucket AND #at BETWEEN :from AND :to',
        ExpressionAttributeNames: { '#bucket': t.timeIndex.partitionKey, '#at': t.timeIndex.sortKey },
        ExpressionAttributeValues: { ':bucket': bucket, ':from': from.toISOString(), ':to': to.toISOString() },
        ReturnConsumedCapacity: 'TOTAL',
      },
      (page) => {
        read.queries += 1;
        read.itemsRead += page.ScannedCount ?? page.Count ?? 0;
        read.consumedCapacity += page.ConsumedCapacity?.CapacityUnits ?? 0;
      },
    );
    read.items.push(...items);
  }

  async lastDigest(): Promise<{ id: string; to: string } | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: LAST_DIGEST_KEY, ConsistentRead: true }));
    return result.Item ? { id: String(result.Item.id), to: String(result.Item.to) } : undefined;
  }

  claimDigest(id: string, now: Date, leaseMs: number): Promise<ClaimResult> {
    return claimLease(this.db, { tableName: this.tableName, key: digestKey(id), doneAttribute: 'record', now, leaseMs, mustExist: false });
  }

  async getDigest(id: string): Promise<DigestRecord | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: digestKey(id), ConsistentRead: true }));
    return result.Item?.record as DigestRecord | undefined;
  }

  async saveDigest(record: DigestRecord, movesWindow: boolean): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: digestKey(record.id),
        UpdateExpression: 'SET #record = :record REMOVE claimedUntil',
        ExpressionAttributeNames: { '#record': 'record' },
        ExpressionAttributeValues: { ':record': record },
      }),
    );
    if (!movesWindow) return;
    try {
      // The next window starts where this one ended, unless a later digest already moved it.
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: LAST_DIGEST_KEY,
          UpdateExpression: 'SET id = :id, #to = :to',
          ConditionExpression: 'attribute_not_exists(#to) OR #to <= :to',
          ExpressionAttributeNames: { '#to': 'to' },
          ExpressionAttributeValues: { ':id': record.id, ':to': record.period.to },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async trackOpenIncident(incidentKey: string, open: OpenIncident | undefined): Promise<void> {
    const key = { [t.partitionKey]: OPEN_INCIDENTS_PK, [t.sortKey]: incidentKey };
    if (open) {
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...key, open } }));
    } else {
      await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: key }));
    }
  }

  async openIncidents(): Promise<OpenIncident[]> {
    return (await this.partition(OPEN_INCIDENTS_PK)).map((item) => item.open as OpenIncident);
  }

  async recordApplicationEvent(event: CanonicalEvent, expiresAt: Date, enrich: Enrich = (e) => e): Promise<CanonicalEvent> {
    const pk = applicationPk(event.subject.id);
    const history = (await this.partition(pk)) as HistoryItem[];
    // An offer delivery may carry only the application id: the history knows the candidate.
    const candidateKey = candidateKeyOf(event) ?? history.find((item) => item.candidateKey)?.candidateKey;
    const { recorded, added } = await this.recordOnHistory(pk, 'application-event', event, history, expiresAt, enrich, candidateKey);
    if (candidateKey) {
      // Whatever was recorded before the candidate id was known is tagged now, with its delivery
      // record, so an erasure finds it; so is this event's delivery if it did not name the candidate.
      for (const item of history.filter((entry) => !entry.candidateKey)) {
        await this.tagWithCandidate(candidateKey, { [t.partitionKey]: pk, [t.sortKey]: timelineSk(item.event) }, deliveryKey(item.event.source, item.event.deliveryId));
      }
      if (added && !candidateKeyOf(event)) await this.tagWithCandidate(candidateKey, deliveryKey(event.source, event.deliveryId));
    }
    return recorded;
  }

  async recordIssueEvent(event: CanonicalEvent, expiresAt: Date, enrich: Enrich = (e) => e): Promise<CanonicalEvent> {
    const pk = `ISSUE#${event.subject.id}`;
    const history = (await this.partition(pk)) as HistoryItem[];
    return (await this.recordOnHistory(pk, 'issue-event', event, history, expiresAt, enrich, undefined)).recorded;
  }

  /**
   * Adds an event to a per-subject history partition (a repeated event id is a no-op), after
   * `enrich` has derived facts from the events recorded before it; the record goes on `byTime`.
   */
  private async recordOnHistory(
    pk: string,
    kind: string,
    event: CanonicalEvent,
    history: HistoryItem[],
    expiresAt: Date,
    enrich: Enrich,
    candidateKey: string | undefined,
  ): Promise<{ recorded: CanonicalEvent; added: boolean }> {
    const already = history.find((item) => item.event.id === event.id);
    if (already) return { recorded: already.event, added: false };
    const sk = timelineSk(event);
    const earlier = history.filter((item) => String(item[t.sortKey]) < sk).map((item) => item.event);
    const recorded = enrich(event, earlier);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            [t.partitionKey]: pk,
            [t.sortKey]: sk,
            ...timeIndexAttributes(event.occurredAt, event.id),
            ...candidateAttribute(candidateKey),
            kind,
            type: event.type,
            event: recorded,
            [t.ttlAttribute]: epochSeconds(expiresAt),
          },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': t.partitionKey },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    return { recorded, added: true };
  }

  async forgetCandidate(candidateKey: string): Promise<RecordKey[]> {
    const keys = new Map<string, RecordKey>();
    const add = (item: Record<string, unknown>) => {
      const key = { pk: String(item[t.partitionKey]), sk: String(item[t.sortKey]) };
      keys.set(`${key.pk}\u0000${key.sk}`, key);
    };
    const indexed = await this.queryAll({
      IndexName: t.candidateIndex.name,
      KeyConditionExpression: '#ck = :ck',
      ExpressionAttributeNames: { '#ck': t.candidateIndex.partitionKey },
      ExpressionAttributeValues: { ':ck': candidateKey },
    });
    indexed.forEach(add);
    // Whole application histories go too, including any record the index has not caught up with.
    const applications = new Set([...keys.values()].map((key) => key.pk).filter((pk) => pk.startsWith('APPLICATION#')));
    for (const pk of applications) (await this.partition(pk, '#pk, #sk')).forEach(add);
    const all = [...keys.values()].sort((a, b) => a.pk.localeCompare(b.pk) || a.sk.localeCompare(b.sk));
    await this.deleteAll(all);
    return all;
  }

  async spend(day: string): Promise<DailySpend> {
    const result = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: spendKey(day), ConsistentRead: true }),
    );
    const item = result.Item ?? {};
    const n = (name: string) => (typeof item[name] === 'number' ? (item[name] as number) : 0);
    return {
      day,
      inputTokens: n('inputTokens'),
      outputTokens: n('outputTokens'),
      cacheWriteTokens: n('cacheWriteTokens'),
      cacheReadTokens: n('cacheReadTokens'),
      totalTokens: n('totalTokens'),
      // Kept in micro-dollars so the counter stays an exact integer.
      estimatedCostUsd: n('costMicroUsd') / 1_000_000,
      calls: n('calls'),
      budgetFallbacks: n('budgetFallbacks'),
    };
  }

  async record(day: string, usage: TokenUsage, estimatedCostUsd: number, calls: number): Promise<void> {
    await this.addToSpend(day, {
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      cacheWriteTokens: usage.cacheWriteTokens,
      cacheReadTokens: usage.cacheReadTokens,
      totalTokens: totalTokens(usage),
      costMicroUsd: Math.round(estimatedCostUsd * 1_000_000),
      calls,
    });
  }

  async recordBudgetFallback(day: string): Promise<void> {
    await this.addToSpend(day, { budgetFallbacks: 1 });
  }

  /** One atomic `ADD` per counter: concurrent writers never overwrite each other. */
  private async addToSpend(day: string, counters: Record<string, number>): Promise<void> {
    const names = Object.keys(counters);
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: spendKey(day),
        UpdateExpression: `ADD ${names.map((_, i) => `#c${i} :c${i}`).join(', ')} SET #ttl = if_not_exists(#ttl, :ttl)`,
        ExpressionAttributeNames: { ...Object.fromEntries(names.map((name, i) => [`#c${i}`, name])), '#ttl': t.ttlAttribute },
        ExpressionAttributeValues: {
          ...Object.fromEntries(names.map((name, i) => [`:c${i}`, counters[name]])),
          ':ttl': Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000) + SPEND_TTL_SECONDS,
        },
      }),
    );
  }

  /** Adds the candidate key to existing records; one that has expired meanwhile is skipped. */
  private async tagWithCandidate(candidateKey: string, ...keys: Record<string, string>[]): Promise<void> {
    for (const Key of keys) {
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key,
            UpdateExpression: 'SET #ck = :ck',
            ConditionExpression: 'attribute_exists(#pk)',
            ExpressionAttributeNames: { '#ck': t.candidateIndex.partitionKey, '#pk': t.partitionKey },
            ExpressionAttributeValues: { ':ck': candidateKey },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
  }

  /** Every item of one partition in sort-key order, read consistently; `projection` may name `#pk` and `#sk`. */
  private partition(pk: string, projection?: string): Promise<Record<string, unknown>[]> {
    return this.queryAll({
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': t.partitionKey, ...(projection ? { '#sk': t.sortKey } : {}) },
      ExpressionAttributeValues: { ':pk': pk },
      ...(projection ? { ProjectionExpression: projection } : {}),
      ConsistentRead: true,
    });
  }

  private queryAll(input: Omit<QueryCommandInput, 'TableName' | 'ExclusiveStartKey'>): Promise<Record<string, unknown>[]> {
    return queryAll(this.db, { ...input, TableName: this.tableName });
  }

  /** Batch deletes (25 per request, DynamoDB's limit), retrying unprocessed items a bounded number of times. */
  private async deleteAll(keys: readonly RecordKey[]): Promise<void> {
    for (let start = 0; start < keys.length; start += 25) {
      let requests = keys.slice(start, start + 25).map((key) => ({ DeleteRequest: { Key: { [t.partitionKey]: key.pk, [t.sortKey]: key.sk } } }));
      for (let attempt = 0; requests.length > 0; attempt += 1) {
        if (attempt === 8) throw new Error(`DynamoDB left ${requests.length} deletions unprocessed after ${attempt} attempts; run the erasure again`);
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
        const result = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } }));
        requests = (result.UnprocessedItems?.[this.tableName] ?? []) as typeof requests;
      }
    }
  }
}

interface HistoryItem extends Record<string, unknown> {
  event: CanonicalEvent;
  candidateKey?: string;
}

const LAST_DIGEST_KEY = { [t.partitionKey]: 'DIGEST#LAST', [t.sortKey]: 'POINTER' };

function digestKey(id: string): Record<string, string> {
  return { [t.partitionKey]: `DIGEST#${id}`, [t.sortKey]: 'DIGEST' };
}

function startOfUtcDay(instant: Date): Date {
  return new Date(Date.UTC(instant.getUTCFullYear(), instant.getUTCMonth(), instant.getUTCDate()));
}

function spendKey(day: string): Record<string, string> {
  return { [t.partitionKey]: `SPEND#${day}`, [t.sortKey]: 'TOKENS' };
}

function deliveryKey(source: string, deliveryId: string): Record<string, string> {
  return { [t.partitionKey]: `DELIVERY#${source}#${deliveryId}`, [t.sortKey]: 'DELIVERY' };
}

function applicationPk(subjectId: string): string {
  return `APPLICATION#${subjectId}`;
}

function incidentPk(incidentKey: string): string {
  return `INCIDENT#${incidentKey}`;
}

/** Sorts by the instant the source gives (normalised to UTC), then by event id for ties. */
function timelineSk(event: CanonicalEvent): string {
  return `EVENT#${new Date(event.occurredAt).toISOString()}#${event.id}`;
}

/** Cuts a string to at most `limit` UTF-8 bytes without splitting a character. */
export function truncateUtf8(text: string, limit: number): { text: string; truncated: boolean } {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= limit) return { text, truncated: false };
  // Decoding a cut buffer may end in a replacement character; drop it.
  return { text: bytes.subarray(0, limit).toString('utf8').replace(/\uFFFD$/, ''), truncated: true };
}
