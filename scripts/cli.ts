import { parseArgs } from 'node:util';

/** Prints the message and exits with 2, the shell's "you called it wrong". */
export function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

/** The required `--api-url <url>` of the scripts that talk to a deployed service; a clear message and exit 2 otherwise. */
export function apiUrlArgument(usage: string): string {
  let apiUrl: string | undefined;
  try {
    ({
      values: { 'api-url': apiUrl },
    } = parseArgs({ options: { 'api-url': { type: 'string' } }, strict: true }));
  } catch (error) {
    fail(`${error instanceof Error ? error.message : String(error)}\n${usage}`);
  }
  if (!apiUrl) fail(`--api-url is required\n${usage}`);
  return apiUrl;
}
