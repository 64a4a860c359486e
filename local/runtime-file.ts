import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where a running `npm start` says how to reach it, so commands like `npm run forget` find its database. Git-ignored. */
export const RUNTIME_FILE = join(process.cwd(), '.local', 'runtime.json');

export interface RuntimeInfo {
  url: string;
  dynamoEndpoint: string;
  tableName: string;
  pid: number;
}

export function saveRuntimeInfo(info: RuntimeInfo, file = RUNTIME_FILE): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(info, null, 2)}\n`);
}

/** The running local service, if its file exists and its process is alive. */
export function loadRuntimeInfo(file = RUNTIME_FILE): RuntimeInfo | undefined {
  let info: RuntimeInfo;
  try {
    info = JSON.parse(readFileSync(file, 'utf8')) as RuntimeInfo;
  } catch {
    return undefined;
  }
  try {
    process.kill(info.pid, 0);
    return info;
  } catch {
    return undefined; // left behind by a process that was killed
  }
}

export function removeRuntimeInfo(file = RUNTIME_FILE): void {
  rmSync(file, { force: true });
}
