import { parseArgs } from 'node:util';
import { createDocumentClient } from '../functions/adapters/dynamo-client';
import { DynamoStore } from '../functions/adapters/dynamo-store';
import { candidateKey } from '../functions/core/retention';
import { DEFAULT_TABLE_NAME } from '../functions/core/table-definition';
import { findSource, sources } from '../functions/sources/registry';
import { loadRuntimeInfo } from '../local/runtime-file';

const USAGE = 'usage: npm run forget -- --candidate <source>:<candidateId>   (e.g. greenhouse:4012345)';

/**
 * `npm run forget`: a GDPR erasure. Deletes every record about one job candidate (their
 * application histories and the webhook deliveries that mentioned them) and lists what went.
 *
 * Which table: DYNAMODB_ENDPOINT (+ TABLE_NAME) if set; else the running `npm start`; else
 * the AWS table named by TABLE_NAME, with the usual AWS credentials and region.
 */
async function main(): Promise<void> {
  let values: { candidate?: string };
  try {
    ({ values } = parseArgs({ options: { candidate: { type: 'string' } }, strict: true }));
  } catch (error) {
    fail(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
  const raw = values.candidate;
  if (!raw) fail(`--candidate is required\n${USAGE}`);
  const separator = raw.indexOf(':');
  const sourceName = separator > 0 ? raw.slice(0, separator) : '';
  const candidateId = separator > 0 ? raw.slice(separator + 1) : '';
  if (!sourceName || !candidateId) fail(`--candidate must look like <source>:<candidateId>, got "${raw}"\n${USAGE}`);
  if (!findSource(sourceName)) fail(`unknown source "${sourceName}"; sources are ${sources.map((source) => source.name).join(', ')}`);

  const target = resolveTarget();
  console.log(`Erasing candidate ${raw} from table ${target.tableName} (${target.description})`);
  const db = createDocumentClient({ endpoint: target.endpoint });
  try {
    const deleted = await new DynamoStore(db, target.tableName).forgetCandidate(candidateKey(sourceName, candidateId));
    if (deleted.length === 0) {
      console.log('No records about this candidate were found; nothing was deleted.');
      return;
    }
    const byKind = new Map<string, number>();
    for (const key of deleted) {
      const kind = key.pk.split('#')[0] ?? key.pk;
      byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    }
    console.log(`Deleted ${deleted.length} record(s): ${[...byKind].map(([kind, count]) => `${count} ${kind.toLowerCase()}`).join(', ')}`);
    for (const key of deleted) console.log(`  ${key.pk}  ${key.sk}`);
  } finally {
    db.destroy();
  }
}

function resolveTarget(): { endpoint?: string; tableName: string; description: string } {
  const tableName = process.env.TABLE_NAME;
  if (process.env.DYNAMODB_ENDPOINT) {
    return { endpoint: process.env.DYNAMODB_ENDPOINT, tableName: tableName || DEFAULT_TABLE_NAME, description: `DynamoDB at ${process.env.DYNAMODB_ENDPOINT}` };
  }
  const running = loadRuntimeInfo();
  if (running) return { endpoint: running.dynamoEndpoint, tableName: running.tableName, description: `the local service at ${running.url}` };
  if (!tableName) {
    fail('no table to erase from: start the service (`npm start`), or set DYNAMODB_ENDPOINT, or set TABLE_NAME (and AWS credentials) for the deployed table');
  }
  return { tableName, description: `AWS region ${process.env.AWS_REGION ?? 'us-east-1'}` };
}

function fail(message: string): never {
  console.error(`forget: ${message}`);
  process.exit(2);
}

main().catch((error: unknown) => {
  console.error(`forget: failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
