/**
 * The outbox records among a table's items, each state item (`DOC`) with its content item
 * (`CONTENT`: text, blocks, document) folded in, as the outbox itself reads them.
 */
export function outboxRecords(items: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  const content = new Map(items.filter((item) => item.sk === 'CONTENT' && String(item.pk).startsWith('OUTBOX#')).map((item) => [item.pk, item]));
  return items
    .filter((item) => item.sk === 'DOC' && String(item.pk).startsWith('OUTBOX#'))
    .map((item) => {
      const { text, blocks, document } = content.get(item.pk) ?? {};
      return { ...item, ...(text !== undefined ? { text, blocks } : {}), ...(document !== undefined ? { document } : {}) };
    });
}
