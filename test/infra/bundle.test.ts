import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../lib/service-function';

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
