import type { EvalResult, EvalRow, KindSummary } from './run-eval';

interface Column<T> {
  title: string;
  value: (item: T) => string;
  align?: 'left' | 'right';
}

/** A fixed-width table: every column as wide as its widest cell. */
export function table<T>(columns: readonly Column<T>[], items: readonly T[]): string {
  const cells = items.map((item) => columns.map((column) => column.value(item)));
  const widths = columns.map((column, i) => Math.max(column.title.length, ...cells.map((row) => (row[i] ?? '').length)));
  const line = (values: readonly string[]) =>
    values
      .map((value, i) => {
        const width = widths[i] ?? 0;
        return columns[i]?.align === 'right' ? value.padStart(width) : value.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(columns.map((column) => column.title)), rule, ...cells.map(line)].join('\n');
}

const count = (n: number) => String(Math.round(n));
const percent = (share: number | null) => (share === null ? '-' : `${(share * 100).toFixed(1)}%`);

const ROW_COLUMNS: readonly Column<EvalRow>[] = [
  { title: 'scenario', value: (r) => r.name },
  { title: 'kind', value: (r) => r.kind },
  { title: 'writer', value: (r) => r.writer },
  { title: 'draft1 viol', value: (r) => String(r.firstDraftViolations), align: 'right' },
  { title: 'final viol', value: (r) => String(r.finalViolations.length), align: 'right' },
  { title: 'sections', value: (r) => (r.sectionsPresent ? 'yes' : 'no') },
  { title: 'length', value: (r) => `${r.length}/${r.maxChars}`, align: 'right' },
  { title: 'fallback', value: (r) => r.fallbackReason ?? '-' },
  { title: 'calls', value: (r) => String(r.calls), align: 'right' },
  { title: 'http', value: (r) => (r.httpRequests === null ? '-' : String(r.httpRequests)), align: 'right' },
  { title: 'in', value: (r) => count(r.usage.inputTokens), align: 'right' },
  { title: 'out', value: (r) => count(r.usage.outputTokens), align: 'right' },
  { title: 'cache-w', value: (r) => count(r.usage.cacheWriteTokens), align: 'right' },
  { title: 'cache-r', value: (r) => count(r.usage.cacheReadTokens), align: 'right' },
  { title: 'leaks', value: (r) => String(r.leaks.length), align: 'right' },
  { title: 'expect', value: (r) => r.expectation },
];

const KIND_COLUMNS: readonly Column<KindSummary>[] = [
  { title: 'kind', value: (k) => k.kind },
  { title: 'docs', value: (k) => String(k.documents), align: 'right' },
  { title: 'model docs', value: (k) => String(k.modelDocuments), align: 'right' },
  { title: 'avg in', value: (k) => count(k.avgInputTokens), align: 'right' },
  { title: 'avg out', value: (k) => count(k.avgOutputTokens), align: 'right' },
  { title: 'avg cache-w', value: (k) => count(k.avgCacheWriteTokens), align: 'right' },
  { title: 'avg cache-r', value: (k) => count(k.avgCacheReadTokens), align: 'right' },
  { title: 'repeat calls', value: (k) => String(k.repeatCalls), align: 'right' },
  { title: 'cache-read share', value: (k) => percent(k.cacheReadShare), align: 'right' },
];

export function formatReport(result: EvalResult): string {
  const header =
    result.mode === 'live'
      ? `Writer eval against the real Anthropic API (${result.endpoint}), model ${result.model}. ANTHROPIC_API_KEY is set: the scripted model replies are ignored and expectations are not checked.`
      : `Writer eval against the fake Messages API on ${result.endpoint} (no ANTHROPIC_API_KEY), model ${result.model}: scripted model replies, modelled token counts (about 4 characters per token).`;
  const lines = [
    header,
    `${result.rows.length} scenarios, ${new Set(result.rows.map((r) => r.kind)).size} document kinds, ${result.calls.length} model calls, ${(result.elapsedMs / 1000).toFixed(1)} s.`,
    '',
    table(ROW_COLUMNS, result.rows),
    '',
    'draft1 viol: problems in the first draft (grounding and structure); final viol: checkGrounding re-run on the final document;',
    'sections: required sections present; calls: model replies; http: HTTP attempts incl. retries (fake only); leaks: planted text in the final document.',
    '',
    "Per kind (averages per document that made a model call; cache-read share = cache read / (cache read + cache write + input) over calls after the run's first):",
    '',
    table(KIND_COLUMNS, result.kinds),
    '',
    `Overall cache-read share on repeated calls: ${percent(result.overallCacheReadShare)} (${Math.max(0, result.calls.length - 1)} calls).`,
  ];
  const caught = result.rows.filter((r) => r.recordedViolations.length > 0);
  if (caught.length > 0) {
    lines.push('', 'Problems the checks caught in drafts:');
    for (const row of caught) lines.push(`  ${row.name}:`, ...row.recordedViolations.map((v) => `    - ${v}`));
  }
  if (result.knownGaps.length > 0) lines.push('', 'Known gaps (not failing):', ...result.knownGaps.map((g) => `  - ${g}`));
  if (result.warnings.length > 0) lines.push('', 'Warnings:', ...result.warnings.map((w) => `  - ${w}`));
  lines.push(
    '',
    result.failures.length === 0
      ? 'PASS: every final document has zero grounding violations and all required sections.'
      : `FAIL (${result.failures.length}):\n${result.failures.map((f) => `  - ${f}`).join('\n')}`,
  );
  return lines.join('\n');
}
