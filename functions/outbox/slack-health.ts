import type { ChatDeliveryError } from '../ports/chat';

/** The first probe after a failure; doubled after each wake that no delivery followed, up to the ceiling. */
const PROBE_FIRST_MS = 2_000;
const PROBE_MAX_MS = 60_000;

/**
 * What this process knows of Slack's availability: when a Slack call last succeeded and when
 * the sweeper last probed it. Documents waiting for Slack are made due again (see
 * `wakeIfSlackIsBack` in sweeper.ts) as soon as a call succeeds after the failure they wait
 * for, instead of each waiting out its own backoff.
 */
export class SlackHealth {
  lastSuccessAt = 0;
  private lastProbeAt = 0;
  /** Wakes since the last successful delivery: a probe that succeeds while posts still fail should not wake the backlog every time. */
  private wakes = 0;

  /** A Slack call succeeded (a post, an update, a history read). */
  succeeded(now: number): void {
    this.lastSuccessAt = Math.max(this.lastSuccessAt, now);
    this.wakes = 0;
  }

  /** Whether a probe is due: not more often than every 2 s, less often after wakes that did not help. */
  probeDue(now: number): boolean {
    return now - this.lastProbeAt >= Math.min(PROBE_MAX_MS, PROBE_FIRST_MS * 2 ** this.wakes);
  }

  probed(now: number, ok: boolean): void {
    this.lastProbeAt = now;
    if (ok) this.lastSuccessAt = Math.max(this.lastSuccessAt, now);
  }

  woke(): void {
    this.wakes += 1;
  }
}

/**
 * Failures that mean Slack (or the way to it) is not answering, so a document waits for
 * Slack rather than for its own backoff: timeouts, resets, 5xx, refused connections. A 429
 * has its own `Retry-After`, and a refusal (`ok: false`) is about the request or the setup.
 */
export function isSlackUnavailable(error: ChatDeliveryError): boolean {
  if (error.outcome === 'unknown') return true;
  return error.outcome === 'not-sent' && error.code !== 'ratelimited';
}

/** Whether the client gave up before Slack answered (timeout, reset): Slack may still be processing it. */
export function clientGaveUp(error: ChatDeliveryError): boolean {
  return error.outcome === 'unknown' && !/^http_5\d\d$/.test(error.code);
}
