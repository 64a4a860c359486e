import { ChatDeliveryError, type Chat, type PostedMessage } from '../ports/chat';
import type { Clock } from '../ports/clock';
import { DEFAULT_MAX_AGE_MS, backoffMs } from './backoff';
import { documentMetadata } from './metadata';
import type { OutboxStore, StoredOutboxRecord } from './outbox-store';
import { ChannelPacer } from './pacer';
import { urgencyRank } from './urgency';
import { SlackHealth, clientGaveUp, isSlackUnavailable } from './slack-health';
import { SETUP_ERRORS, SetupProblems, isSetupError, setupFix } from './setup-problems';
import { MetricNames } from '../core/metric-names';
import { metrics } from '../core/metrics';

/** Time for the outbox: a clock, and a sleep the tests can make virtual. */
export interface OutboxTiming extends Clock {
  sleep(ms: number): Promise<void>;
}

export const systemTiming: OutboxTiming = {
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface DeliveryOptions {
  /**
   * How long one attempt holds a record. Longer than the Slack client's timeout, so no second
   * attempt starts while the first may still be posting; a crashed attempt is retried after it.
   */
  leaseMs?: number;
  /** Pending this long, a document is marked failed. */
  maxAgeMs?: number;
  /**
   * After an attempt whose outcome is unknown, wait at least this long before looking for the
   * message: Slack may still be processing a request the client gave up on.
   */
  settleMs?: number;
  random?: () => number;
}

export type Log = (message: string, detail: Record<string, unknown>, level?: 'info' | 'warn' | 'error') => void;

/** Slack errors that no retry will fix: the document is marked failed at once. */
const PERMANENT = new Set([
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
  'no_text',
  'invalid_arguments',
  'too_many_attachments',
  'invalid_metadata_format',
  'metadata_too_large',
]);
/** Update errors meaning the message can no longer be edited: the update is given up. */
const UPDATE_PERMANENT = new Set([...PERMANENT, 'message_not_found', 'cant_update_message', 'edit_window_closed']);

/** How far before the first uncertain attempt a search for its message starts (clock skew). */
const SEARCH_MARGIN_MS = 60_000;
/** How soon a reply waiting for its parent, or an earlier reply, is looked at again. */
const ORDER_WAIT_MS = 500;

/**
 * Delivers one outbox record: the first post (in thread order, paced per channel, after
 * looking for an earlier post whose outcome was unknown) or an update of a delivered one.
 * Whatever cannot be done now is left with a due time for the sweeper; nothing here throws
 * for a Slack failure.
 */
export class OutboxDelivery {
  private readonly leaseMs: number;
  private readonly maxAgeMs: number;
  private readonly settleMs: number;
  private readonly random: () => number;
  /** What this process knows of Slack's availability (the sweeper wakes waiting documents from it). */
  readonly health = new SlackHealth();
  /** Setup problems seen and not yet fixed (the local inbox shows them). */
  readonly setup = new SetupProblems();

  constructor(
    private readonly store: OutboxStore,
    private readonly chat: Chat,
    private readonly timing: OutboxTiming,
    private readonly log: Log,
    readonly pacer = new ChannelPacer(),
    options: DeliveryOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 30_000;
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    this.settleMs = options.settleMs ?? 30_000;
    this.random = options.random ?? Math.random;
  }

  /**
   * Does the record's outstanding work if it is due. `maxWaitMs` bounds how long this call
   * waits for the channel's pace; beyond it the record is left due at the free slot.
   * `behindBacklog` (a worker's call for the document it just wrote): when the channel has
   * documents waiting that are at least as urgent, or the pace is beyond `maxWaitMs`, the
   * record is left due as it is, for the sweeper to deliver in urgency order.
   */
  async deliver(id: string, options: { maxWaitMs: number; known?: StoredOutboxRecord; behindBacklog?: boolean }): Promise<StoredOutboxRecord | undefined> {
    // A lost claim race means the record changed meanwhile (a revision): look at it again.
    for (let round = 0; round < 3; round += 1) {
      const record = round === 0 && options.known ? options.known : await this.store.get(id);
      if (!record || record.state === 'failed' || !record.dueAt) return record;
      const now = this.timing.now();
      if (record.inFlightUntil !== undefined && record.inFlightUntil > now.getTime()) {
        // Due while held: its attempt may have died. Look again when the lease is over.
        if (Date.parse(record.dueAt) < record.inFlightUntil) await this.store.deferDue(record, new Date(record.inFlightUntil));
        return record;
      }
      // Backing off (or pacing): the sweeper brings it back when it is due.
      if (Date.parse(record.dueAt) > now.getTime()) return record;
      if (record.state === 'delivered') {
        const claimed = await this.store.claim(record, now, this.leaseMs, false);
        if (claimed) return this.update(claimed);
        continue;
      }
      if (now.getTime() - Date.parse(record.createdAt) >= this.maxAgeMs) return this.giveUp(record, record.lastError ?? 'not delivered in time');

      const parent = record.parentId ? await this.store.get(record.parentId) : undefined;
      if (record.parentId) {
        if (parent?.state === 'failed') return this.giveUp(record, `its thread parent ${record.parentId} was not delivered`);
        // Not recorded yet (its worker is still writing it) or not delivered yet: wait for it.
        if (!parent || parent.state !== 'delivered' || !parent.message) return this.waitFor(record, parent, now, 'waiting for its thread parent');
        const earlier = await this.store.earlierPendingReply(record.parentId, record.id, record.threadPosition ?? record.createdAt);
        if (earlier) return this.waitFor(record, await this.store.get(earlier), now, 'waiting for an earlier reply in its thread');
      }
      const wait = this.pacer.waitMs(record.channel, now.getTime());
      if (options.behindBacklog && (wait > options.maxWaitMs || this.pacer.behindBacklog(record.channel, urgencyRank(record.urgency), now.getTime())))
        return record;
      if (wait > options.maxWaitMs) return this.waitUntil(record, now.getTime() + wait, undefined);
      const claimed = await this.store.claim(record, now, this.leaseMs, true);
      if (!claimed) continue;
      await this.timing.sleep(this.pacer.reserve(record.channel, this.timing.now().getTime()));
      return this.attempt(record, claimed, parent?.message);
    }
    return this.store.get(id);
  }

  /** Slack accepted a call for `channel`: it is answering, and that channel's setup is fine. */
  private slackAnswered(channel: string): void {
    this.health.succeeded(this.timing.now().getTime());
    this.setup.resolved(channel);
  }

  /**
   * A refusal only a person can fix: counted every time (the alarm), logged as an error once
   * per channel and cause with what to do. The document stays pending and keeps its backoff;
   * a channel problem also holds that channel's other documents until this one's next attempt.
   */
  private async setupProblem(record: StoredOutboxRecord, error: ChatDeliveryError): Promise<void> {
    metrics.record(MetricNames.slackSetupErrors, 1, 'Count', { code: error.code });
    const scope = SETUP_ERRORS[error.code] === 'token' ? '*' : record.channel;
    if (this.setup.has(scope, error.code)) return;
    const label = await this.channelLabel(record.channel);
    const fix = setupFix(error.code, label, error.needed);
    this.setup.report({ channel: scope, code: error.code, fix, since: this.timing.now().toISOString() });
    this.log(`Slack setup problem: ${fix}`, { channel: record.channel, code: error.code, fix }, 'error');
  }

  /** `C0123 (#incidents-exec)` when Slack tells the channel's name, else the channel as configured. */
  private async channelLabel(channel: string): Promise<string> {
    try {
      const info = await this.chat.describeChannel(channel);
      return info.name && info.name !== channel.replace(/^#/, '') ? `${channel} (#${info.name})` : channel;
    } catch (error) {
      if (!(error instanceof ChatDeliveryError)) throw error;
      return channel;
    }
  }

  /** Asks Slack whether it answers (and accepts the token); the answer is kept in `health`. */
  async probe(): Promise<boolean> {
    const now = this.timing.now().getTime();
    try {
      await this.chat.ping();
      this.health.probed(now, true);
      return true;
    } catch (error) {
      if (!(error instanceof ChatDeliveryError)) throw error;
      this.health.probed(now, false);
      return false;
    }
  }

  /** One attempt at the first post: `record` as read before the claim, `claimed` as the claim left it. */
  private async attempt(record: StoredOutboxRecord, claimed: StoredOutboxRecord, thread: PostedMessage | undefined): Promise<StoredOutboxRecord> {
    const target = thread
      ? { channel: thread.channel, threadTs: thread.ts }
      : record.threadTs
        ? { channel: record.channel, threadTs: record.threadTs }
        : { channel: record.channel };
    const metadata = documentMetadata(record.id);
    let posting = false;
    try {
      if (record.uncertainSince) {
        // An earlier attempt may have been posted: find it rather than post a second copy.
        const since = new Date(Date.parse(record.uncertainSince) - SEARCH_MARGIN_MS);
        const found = await this.chat.findPosted({ ...target, since, metadata });
        this.slackAnswered(record.channel);
        if (found) {
          this.log('outbox found an earlier post instead of posting again', { id: record.id, ts: found.ts, attempts: record.attempts });
          // The found message shows the revision it was posted with; if that is unsure, an update follows.
          const shown = record.uncertainRevision === record.revision ? record.revision : -1;
          return await this.delivered(claimed, found, shown);
        }
      }
      posting = true;
      const posted = await this.chat.post({ ...target, text: record.text, blocks: record.blocks, metadata });
      this.slackAnswered(record.channel);
      return await this.delivered(claimed, posted, record.revision);
    } catch (error) {
      if (!(error instanceof ChatDeliveryError)) throw error;
      return this.failedAttempt(record, error, posting);
    }
  }

  private async delivered(claimed: StoredOutboxRecord, message: PostedMessage, shownRevision: number): Promise<StoredOutboxRecord> {
    const after = await this.store.markDelivered(claimed, message, shownRevision, this.timing.now());
    if (!after.dueAt) return after;
    // Revised while the post was in flight: show the latest now (or leave it due for the sweeper).
    const again = await this.store.claim(after, this.timing.now(), this.leaseMs, false);
    return again ? this.update(again) : after;
  }

  private async failedAttempt(record: StoredOutboxRecord, error: ChatDeliveryError, posting: boolean): Promise<StoredOutboxRecord> {
    const now = this.timing.now().getTime();
    const lastError = `${error.outcome}: ${error.code}`;
    if (error.outcome === 'rejected' && PERMANENT.has(error.code)) return this.giveUp(record, lastError);
    if (error.outcome === 'rejected' && isSetupError(error.code)) await this.setupProblem(record, error);
    if (now - Date.parse(record.createdAt) >= this.maxAgeMs) return this.giveUp(record, lastError);
    // Only a post whose outcome is unknown leaves doubt; a failed search leaves the doubt it found.
    const uncertain = posting ? error.outcome === 'unknown' : true;
    let delay = backoffMs(record.attempts + 1, this.random);
    if (error.retryAfterMs !== undefined) {
      this.pacer.block(record.channel, now + error.retryAfterMs);
      delay = error.retryAfterMs;
    }
    if (uncertain) delay = Math.max(delay, this.settleMs);
    // The channel's other documents would be refused alike: they wait for this one's next attempt.
    if (error.outcome === 'rejected' && SETUP_ERRORS[error.code] === 'channel') this.pacer.block(record.channel, now + delay);
    await this.rescheduleAfter(error, record.id, { dueAt: new Date(now + delay), lastError, uncertain });
    this.log('outbox attempt failed; will retry', { id: record.id, kind: record.kind, attempts: record.attempts + 1, error: lastError, retryInMs: delay });
    return (await this.store.get(record.id)) ?? record;
  }

  /** Shows the latest revision of a delivered record (claimed): `chat.update` is safe to repeat. */
  private async update(record: StoredOutboxRecord): Promise<StoredOutboxRecord> {
    const message = record.message;
    if (!message) return record;
    try {
      await this.chat.update({ channel: message.channel, ts: message.ts, text: record.text, blocks: record.blocks });
      this.slackAnswered(record.channel);
      return await this.store.markShown(record, record.revision, this.timing.now());
    } catch (error) {
      if (!(error instanceof ChatDeliveryError)) throw error;
      const now = this.timing.now().getTime();
      const lastError = `update ${error.outcome}: ${error.code}`;
      const since = Date.parse(record.revisedAt ?? record.deliveredAt ?? record.createdAt);
      if ((error.outcome === 'rejected' && UPDATE_PERMANENT.has(error.code)) || now - since >= this.maxAgeMs) {
        this.log('outbox gave up updating a delivered message', { id: record.id, kind: record.kind, error: lastError });
        await this.store.markFailed(record.id, lastError, this.timing.now());
        return (await this.store.get(record.id)) ?? record;
      }
      const delay = error.retryAfterMs ?? Math.max(this.settleMs, backoffMs(1, this.random));
      await this.rescheduleAfter(error, record.id, { dueAt: new Date(now + delay), lastError, uncertain: false });
      return (await this.store.get(record.id)) ?? record;
    }
  }

  /**
   * Sets the next attempt after a failed one. When Slack was not answering, the record waits
   * for Slack: the first success after it makes the record due at once (not before an attempt
   * the client gave up on has had time to settle), instead of at the end of its backoff.
   */
  private async rescheduleAfter(error: ChatDeliveryError, id: string, change: { dueAt: Date; lastError: string; uncertain: boolean }): Promise<void> {
    if (!isSlackUnavailable(error)) {
      await this.store.reschedule(id, change);
      return;
    }
    const now = this.timing.now();
    const notBefore = clientGaveUp(error) ? new Date(now.getTime() + this.settleMs) : undefined;
    await this.store.reschedule(id, { ...change, waitingFor: 'slack', ...(notBefore ? { notBefore } : {}) });
    await this.store.noteSlackFailure(now);
  }

  /**
   * Waits for the record ahead of it in its thread: shortly when that one is being posted now
   * (or not recorded yet), else not before that one's own next attempt.
   */
  private waitFor(record: StoredOutboxRecord, ahead: StoredOutboxRecord | undefined, now: Date, reason: string): Promise<StoredOutboxRecord> {
    const inFlight = ahead?.inFlightUntil !== undefined && ahead.inFlightUntil > now.getTime();
    const aheadDue = !inFlight && ahead?.dueAt ? Date.parse(ahead.dueAt) : 0;
    // Waiting behind a document that waits for Slack is waiting for Slack too: both are woken when it answers.
    return this.waitUntil(record, Math.max(aheadDue, now.getTime() + ORDER_WAIT_MS), reason, !inFlight ? ahead?.waitingFor : undefined);
  }

  /** Not this document's turn yet (thread order, channel pace): due again later, no attempt counted. */
  private async waitUntil(record: StoredOutboxRecord, at: number, reason: string | undefined, waitingFor?: 'slack'): Promise<StoredOutboxRecord> {
    await this.store.reschedule(record.id, {
      dueAt: new Date(at),
      ...(reason ? { lastError: reason } : {}),
      uncertain: record.uncertainSince !== undefined,
      ...(waitingFor ? { waitingFor } : {}),
      ...(record.notBefore ? { notBefore: new Date(record.notBefore) } : {}),
    });
    return (await this.store.get(record.id)) ?? record;
  }

  private async giveUp(record: StoredOutboxRecord, reason: string): Promise<StoredOutboxRecord> {
    // Logged without text: the id and kind say what was lost; the content may be personal.
    this.log('outbox document failed: not delivered', { id: record.id, kind: record.kind, attempts: record.attempts, createdAt: record.createdAt, reason });
    await this.store.markFailed(record.id, reason, this.timing.now());
    return (await this.store.get(record.id)) ?? record;
  }
}
