/**
 * Paces posts per channel (Slack allows about one message per second per channel, short
 * bursts tolerated) and remembers a channel's 429 until its `Retry-After` has passed. Each
 * channel has its own schedule, so one rate-limited channel holds up no other. In process
 * only: a second process learns a channel's limit from its own 429.
 */
export class ChannelPacer {
  /** Per channel: when the next post is due at the steady rate (GCRA), and any 429 block. */
  private readonly channels = new Map<string, { next: number; blockedUntil: number }>();
  /** Per channel: the most urgent rank the sweeper last saw waiting, and until when that holds. */
  private readonly backlogs = new Map<string, { rank: number; until: number }>();

  constructor(
    private readonly intervalMs = 1000,
    /** Posts allowed back to back before pacing starts. */
    private readonly burst = 3,
  ) {}

  /** How long a post to `channel` at `now` would have to wait, without taking a slot. */
  waitMs(channel: string, now: number): number {
    const state = this.channels.get(channel);
    if (!state) return 0;
    const paced = state.next - (this.burst - 1) * this.intervalMs - now;
    return Math.max(0, paced, state.blockedUntil - now);
  }

  /** Takes the next slot for `channel` and returns how long to wait for it. */
  reserve(channel: string, now: number): number {
    const wait = this.waitMs(channel, now);
    const state = this.channels.get(channel) ?? { next: now, blockedUntil: 0 };
    state.next = Math.max(state.next, now + wait) + this.intervalMs;
    this.channels.set(channel, state);
    return wait;
  }

  /**
   * The sweeper is working through documents waiting for `channel`, the most urgent of rank
   * `rank` (see urgency.ts), until about `until`. `undefined` clears it (the channel is drained).
   */
  noteBacklog(channel: string, backlog: { rank: number; until: number } | undefined): void {
    if (backlog) this.backlogs.set(channel, backlog);
    else this.backlogs.delete(channel);
  }

  /**
   * Whether a newly written document of `rank` should queue behind the channel's backlog
   * rather than take the next slot itself: yes unless it is more urgent than all of it.
   */
  behindBacklog(channel: string, rank: number, now: number): boolean {
    const backlog = this.backlogs.get(channel);
    return backlog !== undefined && backlog.until > now && backlog.rank <= rank;
  }

  /** Slack answered 429: nothing more to this channel until `until`. */
  block(channel: string, until: number): void {
    const state = this.channels.get(channel) ?? { next: until, blockedUntil: 0 };
    state.blockedUntil = Math.max(state.blockedUntil, until);
    // After a block, one post at a time: no burst straight into the limit again.
    state.next = Math.max(state.next, until + (this.burst - 1) * this.intervalMs);
    this.channels.set(channel, state);
  }
}
