import { type Metrics, noMetrics } from '../ports/metrics';

let sink: Metrics = noMetrics;

/**
 * The process's metrics. Adapters and decorators record through it (as they log through the
 * shared logger), so domain code takes no metrics dependency; the Lambda handler wrapper
 * installs the EMF adapter, while the local runtime keeps the silent default.
 */
export const metrics: Metrics = {
  record: (name, value, unit, breakdown) => {
    try {
      sink.record(name, value, unit, breakdown);
    } catch {
      // A metric that cannot be recorded must never fail the work it describes.
    }
  },
};

/** Sends metrics to `next` until the returned function restores the previous sink. */
export function useMetrics(next: Metrics): () => void {
  const previous = sink;
  sink = next;
  return () => {
    sink = previous;
  };
}
