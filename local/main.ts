import { parseArgs } from 'node:util';
import { loadDevSecrets, saveDevSecrets, withDevSecrets } from './dev-secrets';
import { DEFAULT_TABLE_NAME } from '../functions/core/table-definition';
import { localSecretNames, startLocalRuntime } from './runtime';
import { removeRuntimeInfo, saveRuntimeInfo } from './runtime-file';

const USAGE = 'usage: npm start [-- --in-memory]   (--in-memory: a throwaway DynamoDB Local, as LOCAL_DYNAMODB_IN_MEMORY=1)';

/** `npm start`: runs the service locally and shuts it down cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const started = Date.now();
  let inMemory = false;
  try {
    inMemory = parseArgs({ options: { 'in-memory': { type: 'boolean' } }, strict: true }).values['in-memory'] === true;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
  const { env, generated } = withDevSecrets(inMemory ? { ...process.env, LOCAL_DYNAMODB_IN_MEMORY: '1' } : process.env, localSecretNames);
  if (Object.keys(generated).length > 0) {
    saveDevSecrets({ ...loadDevSecrets(), ...generated });
    for (const [name, value] of Object.entries(generated)) {
      console.log(`DEVELOPMENT SECRET (local only, generated because ${name} is unset): ${name}=${value}`);
    }
    console.log('npm run demo signs with these; set the variables yourself to use fixed values.');
  }
  const runtime = await startLocalRuntime(env);
  saveRuntimeInfo({ url: runtime.url, dynamoEndpoint: runtime.dynamoEndpoint, tableName: env.TABLE_NAME || DEFAULT_TABLE_NAME, pid: process.pid });
  console.log(
    runtime.dataDir
      ? `DynamoDB Local at ${runtime.dynamoEndpoint}, data kept in ${runtime.dataDir} (found again by the next start; --in-memory for a throwaway store)`
      : `DynamoDB at ${runtime.dynamoEndpoint}${env.DYNAMODB_ENDPOINT ? '' : ', in memory: everything is gone when this process stops'}`,
  );
  console.log(`listening on ${runtime.url}`);
  console.log(`inbox: ${runtime.url}/  ·  webhooks: POST ${runtime.url}/webhooks/{source}  ·  started in ${Date.now() - started} ms`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received, shutting down`);
    removeRuntimeInfo();
    await runtime.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`exec-eng-lead failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
