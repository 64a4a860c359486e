import path from 'node:path';

/**
 * Packages a function loads only on the branch that calls them (the Claude writer, delivery to
 * Slack): they are left out of the function's bundle and bundled on their own beside it, as
 * `node_modules/<package>/index.js`, where Node finds them at the first `require`. A function
 * then starts without reading or compiling them, and one that never writes or posts never
 * loads them at all. Together they were about 450 KB of every bundle that held them (issue 21).
 */
export const LAZY_MODULES = ['@anthropic-ai/sdk', '@slack/web-api'] as const;

/**
 * Shell commands that bundle each lazy package the function's bundle requires into
 * `<outputDir>/node_modules/<package>/index.js`, with the function's own esbuild settings
 * (`flags`). A package the bundle does not require is skipped, so a function that never calls
 * the model carries no copy of its SDK. Run by CDK after bundling (NodejsFunction
 * `commandHooks.afterBundling`) and by `npm run bench`, so both measure the same files.
 */
export function lazyModuleCommands(inputDir: string, outputDir: string, bundleFile: string, flags: readonly string[]): string[] {
  const esbuild = path.posix.join(inputDir, 'node_modules', '.bin', 'esbuild');
  return LAZY_MODULES.map((name) => {
    const outfile = path.posix.join(outputDir, 'node_modules', name, 'index.js');
    // The default export too: `export *` leaves it out, and the Anthropic SDK's client is its default.
    const entry = `export * from '${name}'; export { default } from '${name}';`;
    const bundle = [esbuild, '--bundle', `--sourcefile=${name}`, `--outfile=${outfile}`, `--log-level=error`, ...flags].join(' ');
    // esbuild resolves its standard input from the working directory: the project, with its node_modules.
    return `if grep -q 'require("${name}")' "${bundleFile}"; then cd "${inputDir}" && echo "${entry}" | ${bundle}; fi`;
  });
}
