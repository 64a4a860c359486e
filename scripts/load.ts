import { describeLoad, runLoad } from './load/run-load';

/**
 * `npm run load`: 1,000 signed webhooks across PagerDuty, Jira, Greenhouse, Lever and Ashby,
 * 30% redeliveries, 16 in flight, over 127.0.0.1 to the real `npm start` process with a fake
 * Slack; fails (exit 1) on any 5xx or any Slack message missing or doubled.
 * LOAD_TOTAL and LOAD_CONCURRENCY override the size.
 */
async function main(): Promise<void> {
  const report = await runLoad({ total: Number(process.env.LOAD_TOTAL ?? 1000), concurrency: Number(process.env.LOAD_CONCURRENCY ?? 16) });
  console.log(describeLoad(report));
  if (report.serverErrors > 0 || report.problems.length > 0) process.exit(1);
}

main().catch((error: unknown) => {
  console.error(`load failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
