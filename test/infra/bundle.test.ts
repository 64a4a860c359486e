import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { LAZY_MODULES } from '../../lib/lazy-modules';
import { REPO_ROOT } from '../../lib/service-function';
import { bundle, LAMBDA_RUNTIME_ENV } from '../../scripts/bench/init';

/**
 * The ingest bundle as NodejsFunction builds it (esbuild, minified, AWS SDK bundled): it must
 * not pull in the Anthropic or Slack SDKs, which only the workers need, so its cold start stays
 * short. Sizes of every bundle are in `npm run synth`'s cdk.out; this pins the one that matters.
 */
describe('ingest bundle', () => {
  it('bundles the AWS SDK clients it uses and none of the Anthropic or Slack SDK', async () => {
    const result = await build({
      entryPoints: [`${REPO_ROOT}functions/ingest/handler.ts`],
      absWorkingDir: REPO_ROOT,
      bundle: true,
      platform: 'node',
      target: 'node24',
      format: 'cjs',
      minify: true,
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    const packages = new Set(inputs.flatMap((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? []));
    expect(packages).toContain('@aws-sdk/client-dynamodb');
    expect(packages).toContain('@aws-sdk/client-eventbridge');
    for (const heavy of ['@anthropic-ai/sdk', '@slack/web-api', '@slack/types', 'axios']) expect(packages, heavy).not.toContain(heavy);
    const bytes = result.outputFiles.reduce((sum, file) => sum + file.contents.byteLength, 0);
    // Well under the workers' bundles; a regression that drags in a heavy SDK would show here.
    expect(bytes).toBeLessThan(1_500_000);
  }, 60_000);
});

/**
 * The Anthropic and Slack SDKs are bundled beside the functions that call them (lib/lazy-modules.ts),
 * built here with the bench's copy of the CDK settings and the very commands CDK runs after bundling.
 */
describe('lazy packages', () => {
  const loadedAtStart = (bundleFile: string, env: Record<string, string>) => {
    // Which lazy packages a fresh process requires while loading the bundle, and whether it then finds each.
    const probe = `
      const Module = require('node:module');
      const seen = [];
      const original = Module.prototype.require;
      Module.prototype.require = function (id) { if (${JSON.stringify(LAZY_MODULES)}.includes(id)) seen.push(id); return original.apply(this, arguments); };
      require(${JSON.stringify(bundleFile)});
      const atStart = [...seen];
      const found = ${JSON.stringify(LAZY_MODULES)}.map((id) => { try { return [id, typeof Module.createRequire(${JSON.stringify(bundleFile)})(id)]; } catch { return [id, 'missing']; } });
      process.stdout.write(JSON.stringify({ atStart, found: Object.fromEntries(found) }));`;
    const out = execFileSync(process.execPath, ['-e', probe], { env: { PATH: process.env.PATH ?? '', ...LAMBDA_RUNTIME_ENV, ...env }, encoding: 'utf8' });
    return JSON.parse(out) as { atStart: string[]; found: Record<string, string> };
  };

  it('leaves them out of a writer bundle, loads neither at start, and finds both beside it', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lazy-'));
    try {
      const file = path.join(dir, 'digest.cjs');
      await bundle(`${REPO_ROOT}functions/digest/handler.ts`, file);
      expect(readFileSync(file, 'utf8')).not.toContain('api.anthropic.com');
      const { atStart, found } = loadedAtStart(file, { TABLE_NAME: 't', EVENT_BUS_NAME: 'b' });
      expect(atStart).toEqual([]);
      expect(found).toEqual({ '@anthropic-ai/sdk': 'object', '@slack/web-api': 'object' });
      const sdk = execFileSync(
        process.execPath,
        [
          '-e',
          `const m = require(${JSON.stringify(path.join(dir, 'node_modules/@anthropic-ai/sdk'))}); process.stdout.write(typeof m.default + ' ' + typeof m.APIError)`,
        ],
        { encoding: 'utf8' },
      );
      expect(sdk).toBe('function function');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('gives a function that never calls them no copy', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lazy-'));
    try {
      await bundle(`${REPO_ROOT}functions/history/handler.ts`, path.join(dir, 'history.cjs'));
      expect(existsSync(path.join(dir, 'node_modules'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
