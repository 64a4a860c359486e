import { readFileSync } from 'node:fs';
import { type BenchReport, formatMarkdown } from './bench/figures';

/*
 * Prints the figures of one `npm run bench` run (default `.bench/latest.json`) as the Markdown
 * table the README's Benchmarks section holds, so the table is regenerated, not retyped.
 */
const path = process.argv[2] ?? '.bench/latest.json';
let report: BenchReport;
try {
  report = JSON.parse(readFileSync(path, 'utf8')) as BenchReport;
} catch (error) {
  console.error(`Cannot read ${path}: ${error instanceof Error ? error.message : String(error)}. Run npm run bench first.`);
  process.exit(2);
}
console.log(formatMarkdown(report));
