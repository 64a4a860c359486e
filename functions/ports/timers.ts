/**
 * One-time timers: "call me back at `dueAt` with this payload". In AWS a one-time EventBridge
 * Scheduler schedule; locally a DynamoDB record armed as an in-process timer. A fire is a
 * hint, not a verdict: the receiver re-checks its condition, so a late, repeated or
 * un-cancelled fire is harmless.
 */
export type TimerPayload = Readonly<Record<string, string>>;

export interface Timers {
  /** Creates the timer, or moves it to `dueAt` if one with this id exists. */
  schedule(id: string, dueAt: Date, payload: TimerPayload): Promise<void>;
  /** Removes the timer if it exists (best effort: a fire that slips through is re-checked). */
  cancel(id: string): Promise<void>;
}

/** Where in-process timers are armed; tests pass a virtual one. */
export interface TimerHost {
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimerHost: TimerHost = {
  setTimeout: (callback, delayMs) => {
    const handle = setTimeout(callback, delayMs);
    // A pending escalation must not keep a stopping process alive; its record survives.
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
