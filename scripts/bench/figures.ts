import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { percentileNearestRank } from '../../functions/digest/metrics';

/** One figure of `.bench/latest.json`. */
export interface Figure {
  id: string;
  label: string;
  value: number;
  unit: string;
  /** The least the path could cost, measured side by side in the same run. */
  floor?: number;
  ratio?: number;
  target?: number;
  better: 'lower' | 'higher';
}

export interface BenchReport {
  date: string;
  machine: { cpus: number; memoryGiB: number; node: string };
  figures: Figure[];
}

/** Nearest-rank percentile (the digest's definition); NaN for no samples. */
export function percentile(values: readonly number[], p: number): number {
  return (
    percentileNearestRank(
      [...values].sort((a, b) => a - b),
      p,
    ) ?? Number.NaN
  );
}

export const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Runs `a` and `b` alternately (a b b a a b …, so neither always goes first), `rounds` times
 * each, timing every run: a noisy machine slows both alike, so their ratio stays meaningful.
 */
export async function alternate(rounds: number, a: (i: number) => Promise<void>, b: (i: number) => Promise<void>): Promise<{ a: number[]; b: number[] }> {
  const times = { a: [] as number[], b: [] as number[] };
  const timed = async (run: (i: number) => Promise<void>, i: number, into: number[]) => {
    const started = performance.now();
    await run(i);
    into.push(performance.now() - started);
  };
  for (let i = 0; i < rounds; i++) {
    if (i % 2 === 0) {
      await timed(a, i, times.a);
      await timed(b, i, times.b);
    } else {
      await timed(b, i, times.b);
      await timed(a, i, times.a);
    }
  }
  return times;
}

/** Runs `items` through `run` with `concurrency` in flight; resolves with the elapsed ms. */
export async function inFlight<T>(items: readonly T[], concurrency: number, run: (item: T) => Promise<void>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await run(items[next++] as T);
    }),
  );
  return performance.now() - started;
}

export function machine(): BenchReport['machine'] {
  return { cpus: cpus().length, memoryGiB: round(totalmem() / 2 ** 30, 1), node: process.version };
}

function meets(figure: Figure): string {
  if (figure.target === undefined) return '';
  const value = figure.ratio ?? figure.value;
  const ok = figure.better === 'lower' ? value <= figure.target : value >= figure.target;
  return ok ? 'meets' : 'misses';
}

const show = (value: number | undefined): string => (value === undefined || Number.isNaN(value) ? '' : String(round(value, value >= 100 ? 0 : 2)));

/** The printed table: one row per figure. */
export function formatTable(report: BenchReport): string {
  const header = ['id', 'value', 'unit', 'floor', 'ratio', 'target', '', 'label'];
  const rows = report.figures.map((f) => [
    f.id,
    show(f.value),
    f.unit,
    show(f.floor),
    show(f.ratio),
    f.target === undefined ? '' : `${f.better === 'lower' ? '≤' : '≥'} ${f.target}`,
    meets(f),
    f.label,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ');
  return [
    `npm run bench, ${report.date}, ${report.machine.cpus} CPUs, ${report.machine.memoryGiB} GiB, Node ${report.machine.node}`,
    line(header),
    ...rows.map(line),
  ].join('\n');
}

/** The same figures as a Markdown table, for the README's Benchmarks section (`npx tsx scripts/bench-table.ts`). */
export function formatMarkdown(report: BenchReport): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const verdict = (f: Figure) => ({ meets: ' ✓', misses: ' ✗' })[meets(f)] ?? '';
  return [
    `From one \`npm run bench\` run at ${report.date}, ${report.machine.cpus} CPUs, ${report.machine.memoryGiB} GiB, Node ${report.machine.node}.`,
    '',
    '| figure | value | floor | ratio | target |',
    '|---|---|---|---|---|',
    ...report.figures
      .map((f) =>
        [
          `\`${f.id}\` ${cell(f.label)}`,
          `${show(f.value)} ${f.unit}`.trim(),
          show(f.floor),
          show(f.ratio),
          f.target === undefined ? '' : `${f.better === 'lower' ? '≤' : '≥'} ${f.target}${verdict(f)}`,
        ].join(' | '),
      )
      .map((row) => `| ${row} |`),
  ].join('\n');
}

export function writeReport(report: BenchReport, path = '.bench/latest.json'): void {
  mkdirSync(path.slice(0, path.lastIndexOf('/')), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}
