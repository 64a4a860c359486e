import { describe, expect, it } from 'vitest';
import { type BenchReport, formatMarkdown } from '../../scripts/bench/figures';

describe("the README's benchmark table", () => {
  const report: BenchReport = {
    date: '2026-12-02T12:00:00.000Z',
    machine: { cpus: 2, memoryGiB: 23.5, node: 'v20.20.2' },
    figures: [
      { id: 'a.ratio', label: 'load | parse', value: 300, unit: 'ms', floor: 100, ratio: 3, target: 2, better: 'lower' },
      { id: 'b.share', label: 'cache reads', value: 1, unit: '', target: 1, better: 'higher' },
      { id: 'c.bytes', label: 'bundle', value: 1234.5, unit: 'KB', better: 'lower' },
    ],
  };
  const rows = formatMarkdown(report).split('\n');

  it('names the run, and judges each target on the ratio when there is one, else the value', () => {
    expect(rows[0]).toContain('2026-12-02T12:00:00.000Z, 2 CPUs, 23.5 GiB, Node v20.20.2');
    expect(rows).toContain('| `a.ratio` load \\| parse | 300 ms | 100 | 3 | ≤ 2 ✗ |');
    expect(rows).toContain('| `b.share` cache reads | 1 |  |  | ≥ 1 ✓ |');
    expect(rows).toContain('| `c.bytes` bundle | 1235 KB |  |  |  |');
  });
});
