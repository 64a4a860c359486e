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
