import { createHash } from 'node:crypto';

/** Ids travel in metadata and in DynamoDB keys: a short, plain alphabet. */
const ID_PATTERN = /^[A-Za-z0-9#:._-]{1,200}$/;

export function assertDocumentId(id: string): void {
  if (!ID_PATTERN.test(id)) throw new Error(`Outbox document id must be 1-200 of [A-Za-z0-9#:._-], got ${JSON.stringify(id.slice(0, 80))}`);
}

/**
 * A stable document id from what the document is (`incident`, `pagerduty#P1`, `brief`): parts
 * joined by `:`, each kept as is when it is plain and short, else replaced by a hash of itself,
 * so any source's ids make a valid, still unique, document id.
 */
export function documentId(...parts: string[]): string {
  return parts.map((part) => (/^[A-Za-z0-9#._-]{1,60}$/.test(part) ? part : `h${createHash('sha256').update(part).digest('hex').slice(0, 20)}`)).join(':');
}
