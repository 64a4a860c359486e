import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { LAZY_MODULE_FLAGS, LAMBDA_BUNDLING, REPO_ROOT } from '../../lib/service-function';
import { LAZY_MODULES, lazyModuleCommands } from '../../lib/lazy-modules';
import { alternate, type Figure, percentile, round } from './figures';
import type { DeployedFunction } from './functions';

const RUNS = Number(process.env.BENCH_INIT_RUNS ?? 9);

/**
 * The settings lib/service-function.ts gives NodejsFunction (LAMBDA_BUNDLING): minified CJS for
 * node24 with source maps, the AWS SDK bundled, its credential chain aliased, nothing external.
 * NodejsFunction adds `platform: node`, `bundle: true` and, for CJS, `mainFields: module,main`.
 * The lazy packages are left out and bundled beside it by the same commands CDK runs after
 * bundling (lib/lazy-modules.ts), into `<outfile's directory>/node_modules/`.
 */
export async function bundle(entry: string, outfile: string): Promise<string> {
  const alias = Object.fromEntries(
    Object.entries(LAMBDA_BUNDLING.esbuildArgs).flatMap(([arg, to]) => (arg.startsWith('--alias:') ? [[arg.slice('--alias:'.length), to]] : [])),
  );
  const result = await build({
    metafile: true,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: LAMBDA_BUNDLING.target,
    format: 'cjs',
    minify: LAMBDA_BUNDLING.minify,
    sourcemap: LAMBDA_BUNDLING.sourceMap,
    mainFields: ['module', 'main'],
    alias,
    external: [...LAMBDA_BUNDLING.externalModules],
    logLevel: 'error',
  });
  const dir = path.dirname(outfile);
  for (const command of lazyModuleCommands(REPO_ROOT, dir, outfile, LAZY_MODULE_FLAGS)) execFileSync('bash', ['-c', command], { stdio: 'inherit' });
  const output = Object.entries(result.metafile?.outputs ?? {}).find(([file]) => file.endsWith('.cjs'))?.[1];
  return largestPackages(output?.inputs ?? {});
}

/** The three packages (or the repo's own code) that take most of a bundle, e.g. "@smithy/core 120 KB". */
function largestPackages(inputs: Record<string, { bytesInOutput: number }>): string {
  const byPackage = new Map<string, number>();
  for (const [file, { bytesInOutput }] of Object.entries(inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
    const name = match?.[1] ?? 'own code';
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  return [...byPackage]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([name, bytes]) => `${name} ${Math.round(bytes / 1024)} KB`)
    .join(', ');
}

/**
 * What Lambda adds to a function's own environment (region, the role's credentials), with fake
 * values. The function's environment is taken as deployed, NODE_OPTIONS included if it had one; the AWS SDK's
 * warning that Node 20 is old, which Lambda's Node 24 never prints, is switched off.
 */
export const LAMBDA_RUNTIME_ENV: Record<string, string> = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  POWERTOOLS_LOG_LEVEL: 'ERROR',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

/** A function's environment as deployed (fake ARNs and names) plus what Lambda adds. */
export function lambdaEnvironment(fn: DeployedFunction): Record<string, string> {
  return { ...fn.environment, ...LAMBDA_RUNTIME_ENV };
}

/** Wall time of one `node <script>` process, start to exit. */
function runNode(args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`node ${args.join(' ')} exited ${code}: ${stderr.slice(0, 500)}`))));
  });
}

/**
 * init.<function>.ratio: a process that loads the function's bundle (its module
 * initialisation: clients, config, secrets cache) against an empty Node process, alternating;
 * bundle.<function>.bytes: the bundle's size. Locally on Node 20, not Lambda's Node 24.
 */
export async function benchInit(functions: readonly DeployedFunction[]): Promise<Figure[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-init-'));
  const figures: Figure[] = [];
  try {
    const empty = path.join(dir, 'empty.cjs');
    await build({ stdin: { contents: '' }, outfile: empty, logLevel: 'error' });
    // Last, the floors under every function: the DynamoDB client alone, then with the logger and validator every function has.
    const floors = new Map<DeployedFunction, string>([
      [{ name: 'aws-sdk-floor', entry: 'scripts/bench/sdk-floor-entry.ts', environment: {}, memoryMb: 0, secretArns: 0 }, 'the DynamoDB document client alone'],
      [
        { name: 'stack-floor', entry: 'scripts/bench/stack-floor-entry.ts', environment: {}, memoryMb: 0, secretArns: 0 },
        'the DynamoDB document client, the Powertools logger and zod/mini: what every function loads before its own code',
      ],
    ]);
    for (const fn of [...functions, ...floors.keys()]) {
      const { name, entry } = fn;
      const env = lambdaEnvironment(fn);
      const outfile = path.join(dir, `${name}.cjs`);
      const largest = await bundle(entry, outfile);
      const load = ['-e', `require(${JSON.stringify(outfile)})`];
      await runNode(load, env); // warm the file cache; also fails loudly if init throws
      const times = await alternate(
        RUNS,
        () => runNode(load, env),
        () => runNode([empty], env),
      );
      const init = percentile(times.a, 50);
      const floor = percentile(times.b, 50);
      figures.push({
        id: `init.${name}.ratio`,
        label: floors.has(fn)
          ? `${floors.get(fn)} (${entry}), bundled the same way, median of ${RUNS} (ms)`
          : `${entry}: process loading the bundle vs an empty node process, median of ${RUNS} (ms)`,
        value: round(init, 1),
        unit: 'ms',
        floor: round(floor, 1),
        ratio: round(init / floor),
        ...(floors.has(fn) ? {} : { target: 2 }),
        better: 'lower',
      });
      figures.push({
        id: `bundle.${name}.bytes`,
        label: `${entry}: esbuild bundle, CDK settings, without its source map; largest: ${largest}`,
        value: statSync(outfile).size,
        unit: 'bytes',
        better: 'lower',
      });
    }
    figures.push(...(await benchLazyModules(dir, empty)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

/**
 * lazy.<package>.load_ms: what a function pays at its first model call or first Slack post,
 * loading the package bundled beside it (a process that loads it, less an empty one). Not part
 * of any init figure above, which is the point; reported so the cost is seen where it moved.
 */
async function benchLazyModules(dir: string, empty: string): Promise<Figure[]> {
  const figures: Figure[] = [];
  for (const name of LAZY_MODULES) {
    const file = path.join(dir, 'node_modules', name, 'index.js');
    const load = ['-e', `require(${JSON.stringify(file)})`];
    await runNode(load, LAMBDA_RUNTIME_ENV);
    const times = await alternate(
      RUNS,
      () => runNode(load, LAMBDA_RUNTIME_ENV),
      () => runNode([empty], LAMBDA_RUNTIME_ENV),
    );
    figures.push({
      id: `lazy.${name.replace(/^@/, '').replace('/', '-')}.load_ms`,
      label: `${name}, bundled beside the functions that call it: added to the first call that needs it (process loading it less an empty one, median of ${RUNS}; ${Math.round(statSync(file).size / 1024)} KB)`,
      value: round(percentile(times.a, 50) - percentile(times.b, 50), 1),
      unit: 'ms',
      better: 'lower',
    });
  }
  return figures;
}
