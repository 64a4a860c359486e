import { loadDevSecrets, saveDevSecrets, withDevSecrets } from './dev-secrets';
import { DEFAULT_TABLE_NAME } from '../functions/core/table-definition';
import { localSecretNames, startLocalRuntime } from './runtime';
import { removeRuntimeInfo, saveRuntimeInfo } from './runtime-file';

/** `npm start`: runs the service locally and shuts it down cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const started = Date.now();
  const { env, generated } = withDevSecrets(process.env, localSecretNames);
  if (Object.keys(generated).length > 0) {
    saveDevSecrets({ ...loadDevSecrets(), ...generated });
    for (const [name, value] of Object.entries(generated)) {
      console.log(`DEVELOPMENT SECRET (local only, generated because ${name} is unset): ${name}=${value}`);
    }
    console.log('npm run demo signs with these; set the variables yourself to use fixed values.');
  }
  const runtime = await startLocalRuntime(env);
  saveRuntimeInfo({ url: runtime.url, dynamoEndpoint: runtime.dynamoEndpoint, tableName: env.TABLE_NAME || DEFAULT_TABLE_NAME, pid: process.pid });
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
