import { formatReport } from '../eval/report';
import { runEval } from '../eval/run-eval';

/**
 * `npm run eval`: every document kind over the scenarios in `eval/scenarios.ts`, through the real
 * writer stack (ClaudeWriter, its checks and corrective call, the template fallback), printed as
 * a table. Without ANTHROPIC_API_KEY it runs against the fake Messages API on 127.0.0.1 with
 * scripted replies; with it, against the real API (ANTHROPIC_BASE_URL or the default URL).
 * Exit code 1 when a final document has a grounding violation or misses a required section.
 */
async function main(): Promise<void> {
  const apiKey = process.env.ANTHROPIC_API_KEY || undefined;
  const result = await runEval({
    apiKey,
    baseURL: apiKey ? process.env.ANTHROPIC_BASE_URL || undefined : undefined,
    model: process.env.ANTHROPIC_MODEL || undefined,
  });
  console.log(formatReport(result));
  process.exitCode = result.failures.length === 0 ? 0 : 1;
}

main().catch((err: unknown) => {
  console.error('eval failed to run:', err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
