import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { EmfMetrics } from '../adapters/emf-metrics';
import { logger } from './logger';
import { useMetrics } from './metrics';

/** One EMF writer per container, installed as the process's metrics when the first handler module loads. */
const emf = new EmfMetrics();
useMetrics(emf);

/** How a handler names the thing an invocation is about: canonical event id, delivery id, approval id, digest period. */
export type CorrelationId<E> = (event: E) => string | undefined;

/**
 * Wraps a Lambda handler with the house observability: the Lambda context and `cold_start` on
 * every log line, `correlation_id` from the event, `replay_name` when EventBridge replays an
 * archived event, the ColdStart metric, and this invocation's metrics flushed at the end
 * (also when it throws). Keys are reset first, so nothing leaks from one invocation to the next.
 */
export function instrumented<E, R>(correlationId: CorrelationId<E>, handle: (event: E, context?: Context) => Promise<R>) {
  // The context is optional only so tests and benchmarks may call a handler without one.
  return async (event: E, context?: Context): Promise<R> => {
    logger.resetKeys();
    // Never log the event: webhook events carry signature headers and candidate data.
    if (context) Logger.injectLambdaContextBefore(logger, event, context, { logEvent: false });
    emf.captureColdStart(context?.functionName);
    try {
      const id = safely(() => correlationId(event));
      if (id) logger.setCorrelationId(id.slice(0, 200));
      const replayName = replayNameOf(event);
      if (replayName) logger.appendKeys({ replay_name: replayName });
      return await handle(event, context);
    } catch (error) {
      logger.error('invocation failed', { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
      throw error;
    } finally {
      emf.flush();
    }
  };
}

/** EventBridge sets `replay-name` on events it replays from an archive. */
export function replayNameOf(event: unknown): string | undefined {
  if (event === null || typeof event !== 'object') return undefined;
  const value = (event as Record<string, unknown>)['replay-name'];
  return typeof value === 'string' && value.length > 0 ? value.slice(0, 100) : undefined;
}

/** The canonical event id of an EventBridge event, for the workers. */
export function canonicalEventId(event: { detail?: unknown }): string | undefined {
  const id = (event.detail as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}

function safely<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
