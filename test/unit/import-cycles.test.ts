import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * No module of the service imports itself back through others at run time: a cycle makes load
 * order matter (a value read before its module has run is undefined) and ties two folders into
 * one. Type-only imports are erased by the compiler, so they do not count.
 */

const ROOT = resolve(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Relative imports that remain at run time (not `import type`, not `export type`). */
function runtimeImports(file: string, text: string): string[] {
  const found: string[] = [];
  const pattern = /^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+'(\.{1,2}\/[^']+)'|^\s*import\s+'(\.{1,2}\/[^']+)'/gm;
  for (const match of text.matchAll(pattern)) {
    if (match[2]) continue;
    const specifier = match[3] ?? match[4];
    if (!specifier) continue;
    // `import { type A, type B } from` is erased too.
    const clause = match[0].slice(0, match[0].lastIndexOf('from'));
    const names = clause.match(/\{([^}]*)\}/)?.[1];
    if (names && !/\w+\s+as\s+\w+|^\s*\*/.test(clause) && names.split(',').every((name) => name.trim() === '' || name.trim().startsWith('type '))) continue;
    found.push(resolve(dirname(file), specifier.endsWith('.ts') ? specifier : `${specifier}.ts`));
  }
  return found;
}

/** Strongly connected components with more than one module (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    indexOf.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!indexOf.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) ?? 0, indexOf.get(next) ?? 0));
      }
    }
    if (low.get(node) === indexOf.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.map((path) => relative(ROOT, path)).sort());
    }
  };
  for (const node of graph.keys()) if (!indexOf.has(node)) visit(node);
  return found;
}

describe('import cycles', () => {
  it('finds a cycle when there is one (the checker itself)', () => {
    const at = (name: string) => join(ROOT, name);
    const graph = new Map([
      [at('a.ts'), [at('b.ts')]],
      [at('b.ts'), [at('c.ts')]],
      [at('c.ts'), [at('a.ts')]],
      [at('d.ts'), [at('a.ts')]],
    ]);
    expect(cycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    expect(
      runtimeImports('/x/y.ts', "import type { A } from './a';\nimport { type B } from './b';\nimport { C } from '../c';\nexport { D } from './d';"),
    ).toEqual(['/c.ts', '/x/d.ts']);
  });

  it('none among the service, the CDK app and the local runtime', () => {
    const files = ['functions', 'lib', 'local', 'bin'].flatMap((dir) => sourceFiles(join(ROOT, dir)));
    const graph = new Map(files.map((file) => [file, runtimeImports(file, readFileSync(file, 'utf8'))]));
    expect(cycles(graph)).toEqual([]);
  });
});
