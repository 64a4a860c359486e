import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The rows of the README's "Where things live" table: what a newcomer looks for, and where. */
function whereThingsLive(): { row: string; paths: string[] }[] {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('Where things live:');
  const table = readme.slice(start, readme.indexOf('\n\n', readme.indexOf('| looking for', start)));
  return table
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| looking for') && !line.startsWith('|---'))
    .map((line) => ({ row: line.split('|')[1]?.trim() ?? line, paths: [...line.matchAll(/`([^`\s]+)`/g)].map((m) => m[1] ?? '') }));
}

describe("the README's map of the code", () => {
  it('names only files and folders that exist (globs like functions/*/handler.ts resolve to at least one)', () => {
    const rows = whereThingsLive();
    expect(rows.length).toBeGreaterThan(20);
    const missing = rows.flatMap(({ row, paths }) =>
      paths
        .filter((path) => /^(functions|lib|local|scripts|docs|bin|test)\b/.test(path))
        .filter((path) => (path.includes('*') ? !existsSync(path.split('*')[0] ?? path) : !existsSync(path.replace(/\s*\(.*$/, ''))))
        .map((path) => `${row}: ${path}`),
    );
    expect(missing).toEqual([]);
  });

  it('has a row for the outbox and one for documents', () => {
    const rows = whereThingsLive().map(({ row }) => row);
    expect(rows.some((row) => /delivered to Slack/.test(row))).toBe(true);
    expect(rows.some((row) => /document kinds/.test(row))).toBe(true);
  });
});
