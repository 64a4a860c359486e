/**
 * Memoises an async factory for the life of a Lambda container (clients built from secrets on
 * first use), forgetting a failure so the next invocation tries again.
 */
export function once<T>(factory: () => Promise<T>): () => Promise<T> {
  let ready: Promise<T> | undefined;
  return () => {
    ready ??= factory().catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  };
}

/** Builds a value on first use and keeps it for the life of the container. */
export function lazy<T>(factory: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: factory() }).value;
}
