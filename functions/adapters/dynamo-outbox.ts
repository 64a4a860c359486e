import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PostedMessage } from '../ports/chat';
import { URGENCIES, type Urgency } from '../documents/kind';
import { tableDefinition as t } from '../core/table-definition';
import type { Content, DueEntry, NewOutboxRecord, OutboxStore, StoredOutboxRecord } from '../outbox/outbox-store';
import { candidateAttribute, epochSeconds, queryAll } from './dynamo-keys';

/** Partition of the due index: one small item per record with work to do, sorted by urgency, then due time. */
export const OUTBOX_DUE_PK = 'OUTBOX#DUE';

/**
 * Sort-key prefix of a due entry by urgency, so each urgency is its own range read earliest
 * first. `routine` has none: entries written before urgency existed read as `routine` (ISO
 * instants start with a digit, which sorts before `U`).
 */
const URGENCY_PREFIX: Readonly<Record<Urgency, string>> = { immediate: 'U1#', high: 'U2#', reply: 'U3#', routine: '' };

/** The sort-key range of one urgency's due entries: everything of it lies strictly between. */
function urgencyRange(urgency: Urgency): { prefix: string; lowest: string; highest: string } {
  const prefix = URGENCY_PREFIX[urgency];
  return prefix ? { prefix, lowest: prefix, highest: `${prefix}~` } : { prefix, lowest: '0', highest: ':' };
}
/** Partition key prefixes of every outbox item (what a least-privilege grant lists). */
export const OUTBOX_KEY_PREFIXES = ['OUTBOX#*'] as const;

/** Attributes of the record that are storage detail, not part of the record's view. */
const STORAGE_ATTRIBUTES = [t.partitionKey, t.sortKey, t.ttlAttribute, 'lastAttemptAt'];

/**
 * What the document says, kept in its own item (`CONTENT`), written when recorded and when
 * revised: every other change (claim, delivered, backoff) rewrites only the small state item,
 * and a write costs a unit per KB of the item it writes, however little of it changes.
 */
const CONTENT_ATTRIBUTES = ['text', 'blocks', 'document'] as const;
type ContentAttributes = Pick<StoredOutboxRecord, (typeof CONTENT_ATTRIBUTES)[number]>;
const STATE_SK = 'DOC';
const CONTENT_SK = 'CONTENT';

/** The item noting that Slack failed while documents wait for it (see `noteSlackFailure`). */
const SLACK_WAIT_KEY = { [t.partitionKey]: 'OUTBOX#SLACK', [t.sortKey]: 'WAITING' };
/** What marks a record as waiting for Slack; any new attempt or wake clears it. */
const WAIT_ATTRIBUTES = ['waitingFor', 'notBefore'];
const WAKE_CONCURRENCY = 8;

/** How often a write re-reads and retries when a concurrent change got there first (16 workers revising one roll-up at once need several turns). */
const CONFLICT_RETRIES = 12;

type Change = {
  set?: Record<string, unknown>;
  remove?: string[];
  add?: Record<string, number>;
  /** The due time after the change; undefined removes the record from the due index. */
  dueAt: string | undefined;
  /** Extra condition on the record (names/values supplied in `names`/`values`). */
  condition?: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
};

/**
 * The outbox in the single table (see docs/adr/0007-outbox.md):
 * - `OUTBOX#<id>` / `DOC`                              the record's state: attempts, lease, due time, Slack ts (small)
 * - `OUTBOX#<id>` / `CONTENT`                          what it says: text, blocks, the written document
 * - `OUTBOX#DUE` / `<dueAt>#<id>`                     one entry per record with work to do (a post or
 *    an update), what the sweeper queries by due time; moved with the record in one transaction
 * - `OUTBOX#THREAD#<parentId>` / `<createdAt>#<id>`   the replies in a thread, in order, with their state
 */
export class DynamoOutboxStore implements OutboxStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(record: NewOutboxRecord): Promise<{ created: boolean; record: StoredOutboxRecord }> {
    const { expiresAt, candidateKey, text, blocks, document, ...rest } = record;
    const content: ContentAttributes = { text, blocks, ...(document ? { document } : {}) };
    const dueAt = record.createdAt;
    const ttl = epochSeconds(expiresAt);
    // The content first, outside the transaction (a transaction bills each item twice): a state
    // item never exists without it. Found already, it is this record's (a repeat) or a crashed
    // create's of the same id, which the state item below then adopts.
    const contentIsOurs = await this.putContentOnce(record.id, content, candidateKey, ttl);
    if (!contentIsOurs) {
      // Most often a repeat (a retried event): one consistent read says so, where the transaction
      // below would be refused and billed for every item it names.
      const existing = await this.get(record.id);
      if (existing) return { created: false, record: existing };
    }
    const items = [
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...stateKey(record.id),
            ...rest,
            ...(candidateKey ? { candidateKey } : {}),
            ...candidateAttribute(candidateKey),
            dueAt,
            [t.ttlAttribute]: ttl,
          },
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': t.partitionKey },
        },
      },
      { Put: { TableName: this.tableName, Item: { ...dueItem(record, dueAt), [t.ttlAttribute]: ttl } } },
      ...(record.parentId
        ? [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...threadKey(record.parentId, record.threadPosition ?? record.createdAt, record.id),
                  id: record.id,
                  state: 'pending',
                  [t.ttlAttribute]: ttl,
                },
              },
            },
          ]
        : []),
    ];
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: items }));
        const stored = contentIsOurs ? undefined : await this.get(record.id);
        if (stored) return { created: true, record: stored };
        return {
          created: true,
          record: { ...rest, ...content, ...(candidateKey ? { candidateKey } : {}), dueAt, nextAttemptAt: dueAt, expiresAtEpoch: ttl },
        };
      } catch (error) {
        if (!isConflict(error)) throw error;
        const existing = await this.get(record.id);
        if (existing) return { created: false, record: existing };
        // A concurrent create of the same id that has not committed yet (or lost too): try again.
        if (attempt >= CONFLICT_RETRIES) throw error;
        await conflictPause(attempt);
      }
    }
  }

  async get(id: string): Promise<StoredOutboxRecord | undefined> {
    // Both items of the record in one consistent read (one unit while they stay under 4 KB).
    const result = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': t.partitionKey },
        ExpressionAttributeValues: { ':pk': recordPk(id) },
        ConsistentRead: true,
      }),
    );
    return fromItems(result.Items ?? []);
  }

  /** Writes the content item unless it exists; false when it did. */
  private async putContentOnce(id: string, content: ContentAttributes, candidateKey: string | undefined, ttl: number): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: contentItem(id, content, candidateKey, ttl),
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': t.partitionKey },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async claim(seen: StoredOutboxRecord, now: Date, leaseMs: number, countsAsAttempt: boolean): Promise<StoredOutboxRecord | undefined> {
    const until = new Date(now.getTime() + leaseMs);
    try {
      return await this.apply(seen, {
        set: {
          inFlightUntil: until.getTime(),
          lastAttemptAt: now.toISOString(),
          ...(countsAsAttempt
            ? {
                attempts: seen.attempts + 1,
                uncertainSince: seen.uncertainSince ?? now.toISOString(),
                uncertainRevision: seen.uncertainRevision ?? seen.revision,
              }
            : {}),
        },
        remove: WAIT_ATTRIBUTES,
        // The due entry stays where it is: the claim is one write of the state item. An attempt that
        // dies leaves its entry due; whoever finds it leased moves it to the lease's end (`deferDue`).
        dueAt: seen.dueAt,
        condition: '#state = :seenState AND #attempts = :seenAttempts AND (attribute_not_exists(#lease) OR #lease < :nowMs)',
        names: { '#state': 'state', '#attempts': 'attempts', '#lease': 'inFlightUntil' },
        values: { ':seenState': seen.state, ':seenAttempts': seen.attempts, ':nowMs': now.getTime() },
      });
    } catch (error) {
      if (isConflict(error)) return undefined;
      throw error;
    }
  }

  async deferDue(seen: StoredOutboxRecord, until: Date): Promise<void> {
    try {
      await this.apply(seen, {
        dueAt: until.toISOString(),
        condition: '#lease = :lease',
        names: { '#lease': 'inFlightUntil' },
        values: { ':lease': seen.inFlightUntil },
      });
    } catch (error) {
      // The attempt finished (or another deferred it) meanwhile: its own change moved the entry.
      if (!isConflict(error)) throw error;
    }
  }

  markDelivered(claimed: StoredOutboxRecord, message: PostedMessage, shownRevision: number, now: Date): Promise<StoredOutboxRecord> {
    return this.transition(
      claimed.id,
      (current) => ({
        set: { state: 'delivered', message, deliveredAt: now.toISOString(), shownRevision },
        remove: ['inFlightUntil', 'uncertainSince', 'uncertainRevision', 'lastError'],
        // A revision made while the post was in flight is shown by an update, due now.
        dueAt: current.revision > shownRevision ? now.toISOString() : undefined,
      }),
      claimed,
    );
  }

  markShown(claimed: StoredOutboxRecord, revision: number, now: Date): Promise<StoredOutboxRecord> {
    return this.transition(
      claimed.id,
      (current) => ({
        set: { shownRevision: Math.max(revision, current.shownRevision ?? 0) },
        remove: ['inFlightUntil', 'lastError'],
        dueAt: current.revision > revision ? now.toISOString() : undefined,
      }),
      claimed,
    );
  }

  async reschedule(id: string, change: { dueAt: Date; lastError?: string; uncertain: boolean; waitingFor?: 'slack'; notBefore?: Date }): Promise<void> {
    await this.transition(id, () => ({
      set: {
        ...(change.lastError ? { lastError: change.lastError } : {}),
        ...(change.waitingFor ? { waitingFor: change.waitingFor } : {}),
        ...(change.notBefore ? { notBefore: change.notBefore.toISOString() } : {}),
      },
      remove: ['inFlightUntil', ...WAIT_ATTRIBUTES, ...(change.uncertain ? [] : ['uncertainSince', 'uncertainRevision'])],
      dueAt: change.dueAt.toISOString(),
    }));
  }

  async noteSlackFailure(now: Date): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: SLACK_WAIT_KEY,
        UpdateExpression: 'SET #failedAt = :now, #since = if_not_exists(#since, :now)',
        ExpressionAttributeNames: { '#failedAt': 'failedAt', '#since': 'since' },
        ExpressionAttributeValues: { ':now': now.toISOString() },
      }),
    );
  }

  async slackFailedAt(): Promise<string | undefined> {
    const result = await this.db.send(new GetCommand({ TableName: this.tableName, Key: SLACK_WAIT_KEY, ConsistentRead: true }));
    return result.Item ? String(result.Item.failedAt) : undefined;
  }

  async wakeSlackWaiting(now: Date, failedAt: string): Promise<number> {
    let woken = 0;
    for (const urgency of URGENCIES) {
      const range = urgencyRange(urgency);
      const items = await queryAll(this.db, {
        TableName: this.tableName,
        KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :after AND :highest',
        FilterExpression: '#waiting = :slack',
        ExpressionAttributeNames: { '#pk': t.partitionKey, '#sk': t.sortKey, '#waiting': 'waitingFor' },
        ExpressionAttributeValues: { ':pk': OUTBOX_DUE_PK, ':after': `${range.prefix}${now.toISOString()}~`, ':highest': range.highest, ':slack': 'slack' },
        ConsistentRead: true,
      });
      // A few at a time: hundreds of waiting documents are woken in about a second.
      for (let i = 0; i < items.length; i += WAKE_CONCURRENCY) {
        const outcomes = await Promise.all(items.slice(i, i + WAKE_CONCURRENCY).map((item) => this.wake(String(item.id), now)));
        woken += outcomes.filter(Boolean).length;
      }
    }
    try {
      // A failure noted meanwhile keeps the note: what it left waiting is woken by the next success.
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: SLACK_WAIT_KEY,
          ConditionExpression: '#failedAt = :seen',
          ExpressionAttributeNames: { '#failedAt': 'failedAt' },
          ExpressionAttributeValues: { ':seen': failedAt },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    return woken;
  }

  /** Makes one record waiting for Slack due now (or at its `notBefore`), unless an attempt holds it or it is due sooner. */
  private async wake(id: string, now: Date): Promise<boolean> {
    for (let attempt = 0; ; attempt += 1) {
      const current = await this.get(id);
      if (!current || current.state !== 'pending' || current.waitingFor !== 'slack' || !current.dueAt) return false;
      if (current.inFlightUntil !== undefined && current.inFlightUntil > now.getTime()) return false;
      const dueAt = Math.max(now.getTime(), current.notBefore ? Date.parse(current.notBefore) : 0);
      if (Date.parse(current.dueAt) <= dueAt) return false;
      try {
        await this.apply(current, { remove: WAIT_ATTRIBUTES, dueAt: new Date(dueAt).toISOString() });
        return true;
      } catch (error) {
        if (!isConflict(error) || attempt >= CONFLICT_RETRIES) throw error;
        await conflictPause(attempt);
      }
    }
  }

  async markFailed(id: string, reason: string, now: Date): Promise<void> {
    await this.transition(id, (current) => ({
      // A delivered record whose update keeps failing stays delivered; only the update is given up.
      set: current.state === 'pending' ? { state: 'failed', failedAt: now.toISOString(), lastError: reason } : { lastError: reason },
      remove: ['inFlightUntil'],
      dueAt: undefined,
    }));
  }

  async revise(id: string, content: Content, now: Date): Promise<StoredOutboxRecord | undefined> {
    for (let attempt = 0; ; attempt += 1) {
      const current = await this.get(id);
      if (!current) return undefined;
      // The same content again (a redelivered or replayed event), or content older than what is recorded: nothing changes.
      if (sameContent(current, content) || (content.order !== undefined && (current.contentOrder ?? -Infinity) > content.order)) return current;
      try {
        return await this.apply(current, {
          set: {
            text: content.text,
            blocks: content.blocks,
            ...(content.document ? { document: content.document } : {}),
            ...(content.order !== undefined ? { contentOrder: content.order } : {}),
            revision: current.revision + 1,
            revisedAt: now.toISOString(),
          },
          // Pending: the first post carries it, due as before. Delivered: an update, due now.
          dueAt: current.state === 'delivered' ? now.toISOString() : current.state === 'pending' ? dueAtOf(current) : undefined,
        });
      } catch (error) {
        if (!isConflict(error) || attempt >= CONFLICT_RETRIES) throw error;
        await conflictPause(attempt);
      }
    }
  }

  async due(now: Date, limit: number): Promise<DueEntry[]> {
    const tiers = await Promise.all(
      URGENCIES.map(async (urgency) => {
        const range = urgencyRange(urgency);
        // One page: the earliest `limit`, not the whole backlog.
        const page = await this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lowest AND :now',
            ExpressionAttributeNames: { '#pk': t.partitionKey, '#sk': t.sortKey },
            // `~` sorts after every id character, so everything due at or before `now` is included.
            ExpressionAttributeValues: { ':pk': OUTBOX_DUE_PK, ':lowest': range.lowest, ':now': `${range.prefix}${now.toISOString()}~` },
            Limit: limit,
            ConsistentRead: true,
          }),
        );
        return (page.Items ?? []).map((item) => dueEntry(item));
      }),
    );
    return tiers.flat();
  }

  async forgetDue(entry: DueEntry): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: dueKey(entry) }));
  }

  async earlierPendingReply(parentId: string, id: string, createdAt: string): Promise<string | undefined> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk AND #sk < :sk',
      FilterExpression: '#state = :pending',
      ExpressionAttributeNames: { '#pk': t.partitionKey, '#sk': t.sortKey, '#state': 'state' },
      ExpressionAttributeValues: { ':pk': threadPk(parentId), ':sk': threadKey(parentId, createdAt, id)[t.sortKey], ':pending': 'pending' },
      ConsistentRead: true,
    });
    return items[0] ? String(items[0].id) : undefined;
  }

  async pendingStats(): Promise<{ count: number; oldestCreatedAt?: string }> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: '#pk = :pk',
      FilterExpression: '#state = :pending',
      ProjectionExpression: 'createdAt',
      ExpressionAttributeNames: { '#pk': t.partitionKey, '#state': 'state' },
      ExpressionAttributeValues: { ':pk': OUTBOX_DUE_PK, ':pending': 'pending' },
    });
    const created = items.map((item) => String(item.createdAt)).sort();
    return { count: items.length, ...(created[0] ? { oldestCreatedAt: created[0] } : {}) };
  }

  /**
   * Reads the record (or starts from `seen`, what the caller last wrote), builds the change from
   * it and applies it; re-reads when another change got in first.
   */
  private async transition(id: string, build: (current: StoredOutboxRecord) => Change, seen?: StoredOutboxRecord): Promise<StoredOutboxRecord> {
    for (let attempt = 0; ; attempt += 1) {
      const current = attempt === 0 && seen ? seen : await this.get(id);
      if (!current) throw new MissingRecordError(id);
      try {
        return await this.apply(current, build(current));
      } catch (error) {
        if (!isConflict(error) || attempt >= CONFLICT_RETRIES) throw error;
        // What the caller last wrote was stale: read again at once. A fresh read that lost: take turns.
        if (!(attempt === 0 && seen)) await conflictPause(attempt);
      }
    }
  }

  /**
   * One transaction: the record changes only if its revision and due time are as `seen`, and its
   * due-index entry (and thread entry, when its state changes) move with it.
   */
  private async apply(seen: StoredOutboxRecord, change: Change): Promise<StoredOutboxRecord> {
    const names: Record<string, string> = { '#rev': 'revision', '#due': 'dueAt', ...change.names };
    const values: Record<string, unknown> = { ':rev': seen.revision, ...change.values };
    const sets: string[] = [];
    const { text, blocks, document, ...stateChange } = (change.set ?? {}) as Partial<StoredOutboxRecord>;
    const revised = text !== undefined || blocks !== undefined || document !== undefined;
    const set = { ...stateChange, ...(change.dueAt ? { dueAt: change.dueAt } : {}) };
    Object.entries(set).forEach(([name, value], i) => {
      names[`#s${i}`] = name;
      values[`:s${i}`] = value;
      sets.push(`#s${i} = :s${i}`);
    });
    // New content goes to the content item; a record written before the split loses the copy on its state item.
    const removes = [...(change.remove ?? []), ...(change.dueAt ? [] : ['dueAt']), ...(revised ? CONTENT_ATTRIBUTES : [])].filter((name) => !(name in set));
    removes.forEach((name, i) => {
      names[`#r${i}`] = name;
    });
    const seenDue = dueAtOf(seen);
    let condition = `#rev = :rev AND ${seenDue ? '#due = :seenDue' : 'attribute_not_exists(#due)'}`;
    if (seenDue) values[':seenDue'] = seenDue;
    if (change.condition) condition += ` AND ${change.condition}`;
    const update = [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? `REMOVE ${removes.map((_, i) => `#r${i}`).join(', ')}` : ''].join(' ').trim();

    const after = { ...seen, ...(change.set as Partial<StoredOutboxRecord>) };
    // The content attributes removed from the state item live on in the content item.
    for (const name of removes) if (!(CONTENT_ATTRIBUTES as readonly string[]).includes(name)) delete (after as unknown as Record<string, unknown>)[name];
    const ttl = seen.expiresAtEpoch;
    const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']> = [
      {
        Update: {
          TableName: this.tableName,
          Key: stateKey(seen.id),
          UpdateExpression: update,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      },
    ];
    if (revised) {
      const content: ContentAttributes = { text: after.text, blocks: after.blocks, ...(after.document ? { document: after.document } : {}) };
      items.push({ Put: { TableName: this.tableName, Item: contentItem(seen.id, content, seen.candidateKey, ttl) } });
    }
    if (seenDue !== change.dueAt) {
      if (seenDue) items.push({ Delete: { TableName: this.tableName, Key: dueKey({ ...seen, dueAt: seenDue }) } });
      if (change.dueAt)
        items.push({ Put: { TableName: this.tableName, Item: { ...dueItem(after, change.dueAt), ...(ttl ? { [t.ttlAttribute]: ttl } : {}) } } });
    } else if (change.dueAt && (after.state !== seen.state || (after.waitingFor && after.waitingFor !== seen.waitingFor))) {
      // An entry still marked as waiting for Slack after its record stopped waiting is harmless (a wake re-reads the record).
      items.push({ Put: { TableName: this.tableName, Item: { ...dueItem(after, change.dueAt), ...(ttl ? { [t.ttlAttribute]: ttl } : {}) } } });
    }
    if (seen.parentId && after.state !== seen.state) {
      items.push({
        Update: {
          TableName: this.tableName,
          Key: threadKey(seen.parentId, seen.threadPosition ?? seen.createdAt, seen.id),
          UpdateExpression: 'SET #state = :state',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':state': after.state },
        },
      });
    }
    const [only] = items;
    // A change of the state item alone is a plain conditional update: a transaction would bill it twice.
    if (items.length === 1 && only?.Update) await this.db.send(new UpdateCommand(only.Update));
    else await this.db.send(new TransactWriteCommand({ TransactItems: items }));
    return withNextAttempt({ ...after, dueAt: change.dueAt });
  }
}

function sameContent(record: StoredOutboxRecord, content: Content): boolean {
  return (
    record.text === content.text &&
    canonical(record.blocks) === canonical(content.blocks) &&
    (!content.document || canonical(record.document) === canonical(content.document))
  );
}

/** JSON with object keys sorted: DynamoDB gives maps back in its own key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

class MissingRecordError extends Error {
  constructor(id: string) {
    super(`No outbox record ${id}`);
  }
}

/**
 * The wait before trying again after a conflict: growing, and random, so writers that collided
 * (a storm's workers revising one roll-up) take turns instead of colliding again.
 */
function conflictPause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, (10 + Math.random() * 30) * (attempt + 1)));
}

/** A failed condition (or a concurrent transaction on the same items): someone else changed the record first. */
function isConflict(error: unknown): boolean {
  if (error instanceof ConditionalCheckFailedException) return true;
  return (
    error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict')
  );
}

function dueAtOf(record: StoredOutboxRecord): string | undefined {
  return record.dueAt;
}

function recordPk(id: string): string {
  return `OUTBOX#${id}`;
}

function stateKey(id: string): Record<string, string> {
  return { [t.partitionKey]: recordPk(id), [t.sortKey]: STATE_SK };
}

function contentItem(id: string, content: ContentAttributes, candidateKey: string | undefined, ttl: number | undefined): Record<string, unknown> {
  return {
    [t.partitionKey]: recordPk(id),
    [t.sortKey]: CONTENT_SK,
    ...content,
    // Erased with the candidate like the state item, and expires with it.
    ...candidateAttribute(candidateKey),
    ...(ttl ? { [t.ttlAttribute]: ttl } : {}),
  };
}

function dueKey(entry: { dueAt: string; id: string; urgency?: Urgency | undefined }): Record<string, string> {
  return { [t.partitionKey]: OUTBOX_DUE_PK, [t.sortKey]: `${URGENCY_PREFIX[entry.urgency ?? 'routine']}${entry.dueAt}#${entry.id}` };
}

function dueItem(
  record: Pick<StoredOutboxRecord, 'id' | 'channel' | 'createdAt' | 'state' | 'urgency' | 'waitingFor'>,
  dueAt: string,
): Record<string, unknown> {
  const urgency = record.urgency ?? 'routine';
  return {
    ...dueKey({ dueAt, id: record.id, urgency }),
    id: record.id,
    channel: record.channel,
    createdAt: record.createdAt,
    state: record.state,
    dueAt,
    urgency,
    ...(record.waitingFor ? { waitingFor: record.waitingFor } : {}),
  };
}

function dueEntry(item: Record<string, unknown>): DueEntry {
  const urgency = URGENCIES.find((u) => u === item.urgency) ?? 'routine';
  return { id: String(item.id), channel: String(item.channel), dueAt: String(item.dueAt), createdAt: String(item.createdAt), urgency };
}

function threadPk(parentId: string): string {
  return `OUTBOX#THREAD#${parentId}`;
}

function threadKey(parentId: string, createdAt: string, id: string): Record<string, string> {
  return { [t.partitionKey]: threadPk(parentId), [t.sortKey]: `${createdAt}#${id}` };
}

/**
 * The record from its items: the state item with the content item's attributes over it. A state
 * item written before the split carries its content itself. None: no record, or its content
 * already expired (TTL) before its state item.
 */
function fromItems(items: readonly Record<string, unknown>[]): StoredOutboxRecord | undefined {
  const state = items.find((item) => item[t.sortKey] === STATE_SK);
  if (!state) return undefined;
  const content = items.find((item) => item[t.sortKey] === CONTENT_SK);
  const merged = {
    ...state,
    ...(content ? Object.fromEntries(CONTENT_ATTRIBUTES.filter((name) => name in content).map((name) => [name, content[name]])) : {}),
  };
  return merged.text === undefined ? undefined : fromItem(merged);
}

function fromItem(item: Record<string, unknown>): StoredOutboxRecord {
  const record: Record<string, unknown> = { ...item, expiresAtEpoch: item[t.ttlAttribute] };
  for (const name of STORAGE_ATTRIBUTES) delete record[name];
  return withNextAttempt(record as unknown as StoredOutboxRecord);
}

/** A pending record's next attempt is its due time. */
function withNextAttempt(record: StoredOutboxRecord): StoredOutboxRecord {
  const { nextAttemptAt: _old, ...rest } = record;
  return record.state === 'pending' && record.dueAt ? { ...rest, nextAttemptAt: record.dueAt } : rest;
}
