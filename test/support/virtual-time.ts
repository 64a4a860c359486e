import type { Clock } from '../../functions/ports/clock';
import type { TimerHost } from '../../functions/ports/timers';
import type { OutboxTiming } from '../../functions/outbox/delivery';

/**
 * Virtual time for tests: a clock and a timer host in one. `advance` moves the clock to each
 * due timer in order, runs it, and lets `settle` (e.g. the timers' `idle()`) finish the work
 * it started before moving on, so a 4-hour wait takes milliseconds.
 */
export class VirtualTime implements Clock, TimerHost {
  private nowMs: number;
  private sequence = 0;
  private readonly timers = new Map<number, { at: number; callback: () => void }>();

  constructor(start: Date | string) {
    this.nowMs = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.nowMs);
  }

  setTimeout(callback: () => void, delayMs: number): unknown {
    this.sequence += 1;
    this.timers.set(this.sequence, { at: this.nowMs + Math.max(0, delayMs), callback });
    return this.sequence;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Timers still armed. */
  get armed(): number {
    return this.timers.size;
  }

  async advance(ms: number, settle: () => Promise<void> = async () => {}): Promise<void> {
    const target = this.nowMs + ms;
    for (let guard = 0; guard < 10_000; guard++) {
      const next = [...this.timers.entries()].filter(([, t]) => t.at <= target).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!next) break;
      this.timers.delete(next[0]);
      this.nowMs = Math.max(this.nowMs, next[1].at);
      next[1].callback();
      await settle();
    }
    this.nowMs = target;
    await settle();
  }
}

/** A clock the test moves: `sleep` advances it at once, so pacing and backoff cost no real time. */
export interface VirtualTiming extends OutboxTiming {
  advance(ms: number): void;
  nowMs(): number;
}

export function virtualTiming(start: Date): VirtualTiming {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    nowMs: () => now,
    sleep: async (ms) => {
      now += Math.max(0, ms);
    },
    advance: (ms) => {
      now += ms;
    },
  };
}
