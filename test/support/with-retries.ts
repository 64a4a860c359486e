/** Runs a handler as the bus does: a failure (a transaction conflict under concurrency) is retried after a short pause, 20 times at most. */
export async function withRetries(run: () => Promise<void>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
