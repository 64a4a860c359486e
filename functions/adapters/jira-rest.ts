import { setTimeout as sleep } from 'node:timers/promises';
import type { IssueTracker } from '../ports/issue-tracker';

export interface JiraRestOptions {
  /** e.g. https://acme.atlassian.net; http is accepted only for 127.0.0.1/localhost (the fake). */
  baseUrl: string;
  /** The Atlassian account the API token belongs to. */
  email: string;
  apiToken: string;
  /** Per attempt, covering the response body too. */
  timeoutMs?: number;
  /** Further attempts after a 429 or 5xx. */
  maxRetries?: number;
}

export type JiraOperation = 'comment' | 'transition';

/**
 * A write to Jira that did not succeed: a non-2xx answer (after the retries for 429/5xx),
 * a timeout or a network error. The message names the operation, the issue and the HTTP
 * status, plus at most Jira's `errorMessages` clipped to 200 characters; never the token.
 */
export class JiraWriteBackError extends Error {
  override readonly name = 'JiraWriteBackError';

  constructor(
    message: string,
    readonly operation: JiraOperation,
    readonly issueKey: string,
    /** The last HTTP status, or undefined when no response came (timeout, network error). */
    readonly status: number | undefined,
    readonly attempts: number,
  ) {
    super(message);
  }
}

const ISSUE_KEY = /^[A-Z][A-Z0-9_]+-\d+$/;
const TRANSITION_ID = /^\d+$/;
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost']);
const MAX_RETRY_AFTER_MS = 5000;
const BACKOFF_BASE_MS = 250;
const MAX_ERROR_DETAIL = 200;
/** Jira rejects comment bodies over 32,767 characters; the text is clipped well below that. */
const MAX_COMMENT_CHARS = 30_000;

type AdfInline = { type: 'text'; text: string } | { type: 'hardBreak' };
interface AdfDocument {
  type: 'doc';
  version: 1;
  content: Array<{ type: 'paragraph'; content: AdfInline[] }>;
}

/** Plain text as Atlassian Document Format: paragraphs split on blank lines, single newlines as hard breaks. */
export function toAdf(text: string): AdfDocument {
  const clipped = text.length > MAX_COMMENT_CHARS ? `${text.slice(0, MAX_COMMENT_CHARS - 1)}…` : text;
  const paragraphs = clipped
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t]*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph.length > 0);
  return {
    type: 'doc',
    version: 1,
    content: paragraphs.map((paragraph) => {
      const content: AdfInline[] = [];
      paragraph.split('\n').forEach((line, index) => {
        if (index > 0) content.push({ type: 'hardBreak' });
        if (line.length > 0) content.push({ type: 'text', text: line });
      });
      return { type: 'paragraph', content };
    }),
  };
}

function checkBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError('Jira baseUrl is not a valid URL');
  }
  const local = LOCAL_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new TypeError(`Jira baseUrl must use https (http is allowed only for 127.0.0.1/localhost), got ${url.protocol}//${url.host}`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new TypeError('Jira baseUrl must not carry credentials, a query or a fragment');
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

function checkIssueKey(issueKey: string): void {
  if (typeof issueKey !== 'string' || !ISSUE_KEY.test(issueKey)) {
    throw new TypeError(`Invalid Jira issue key ${JSON.stringify(String(issueKey).slice(0, 40))} (expected e.g. ABC-123)`);
  }
}

/** Milliseconds to wait from a `Retry-After` header (seconds or an HTTP date), capped; undefined if absent or unreadable. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const value = header.trim();
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(value)) ms = Number(value) * 1000;
  else {
    const date = Date.parse(value);
    if (Number.isNaN(date)) return undefined;
    ms = date - Date.now();
  }
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}

/**
 * Jira Cloud REST API v3 with a bounded budget: each attempt has its own timeout, 429 and 5xx
 * are retried at most `maxRetries` times (honouring `Retry-After`, capped at 5 s), other 4xx
 * never. Timeouts and network errors are not retried: the write may have landed, and a
 * comment posted twice is worse than one reported as failed.
 */
export class JiraRest implements IssueTracker {
  private readonly baseUrl: string;
  private readonly authorization: string;
  private readonly secrets: readonly string[];
  private readonly timeoutMs: number;
  private readonly maxRetries: number;

  constructor(options: JiraRestOptions) {
    this.baseUrl = checkBaseUrl(options.baseUrl);
    if (!options.email || !options.apiToken) throw new TypeError('Jira email and apiToken are required');
    const timeoutMs = options.timeoutMs ?? 5000;
    const maxRetries = options.maxRetries ?? 2;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new TypeError('Jira timeoutMs must be a positive number');
    if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new TypeError('Jira maxRetries must be a non-negative integer');
    this.timeoutMs = timeoutMs;
    this.maxRetries = maxRetries;
    const credentials = Buffer.from(`${options.email}:${options.apiToken}`, 'utf8').toString('base64');
    this.authorization = `Basic ${credentials}`;
    this.secrets = [options.apiToken, credentials];
  }

  async comment(issueKey: string, text: string): Promise<void> {
    checkIssueKey(issueKey);
    const body = toAdf(text);
    if (body.content.length === 0) throw new TypeError('Jira comment text is empty');
    await this.post('comment', issueKey, `/rest/api/3/issue/${issueKey}/comment`, { body });
  }

  async transition(issueKey: string, transitionId: string): Promise<void> {
    checkIssueKey(issueKey);
    if (typeof transitionId !== 'string' || !TRANSITION_ID.test(transitionId)) {
      throw new TypeError(`Invalid Jira transition id ${JSON.stringify(String(transitionId).slice(0, 20))} (expected digits)`);
    }
    await this.post('transition', issueKey, `/rest/api/3/issue/${issueKey}/transitions`, { transition: { id: transitionId } });
  }

  private async post(operation: JiraOperation, issueKey: string, path: string, payload: unknown): Promise<void> {
    const url = `${this.baseUrl}${path}`;
    const body = JSON.stringify(payload);
    for (let attempt = 1; ; attempt += 1) {
      let response: Response;
      let responseText: string;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: {
            authorization: this.authorization,
            accept: 'application/json',
            'content-type': 'application/json',
          },
          body,
          // A redirect would mean a misconfigured baseUrl; never replay the credentials elsewhere.
          redirect: 'error',
          signal: AbortSignal.timeout(this.timeoutMs),
        });
        // Read (and so release) the body under the same per-attempt timeout.
        responseText = await response.text();
      } catch (error) {
        const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
        const reason = timedOut ? `timed out after ${this.timeoutMs} ms` : 'network error';
        throw new JiraWriteBackError(
          `Jira ${operation} on ${issueKey} failed: ${reason} (attempt ${attempt}, not retried)`,
          operation,
          issueKey,
          undefined,
          attempt,
        );
      }
      if (response.ok) return;

      const retryable = response.status === 429 || response.status >= 500;
      if (retryable && attempt <= this.maxRetries) {
        const wait = retryAfterMs(response.headers.get('retry-after')) ?? BACKOFF_BASE_MS * 2 ** (attempt - 1);
        await sleep(wait);
        continue;
      }
      const detail = this.errorDetail(responseText);
      throw new JiraWriteBackError(
        `Jira ${operation} on ${issueKey} failed: HTTP ${response.status} after ${attempt} attempt${attempt === 1 ? '' : 's'}${detail ? `: ${detail}` : ''}`,
        operation,
        issueKey,
        response.status,
        attempt,
      );
    }
  }

  /** Jira's `errorMessages` only (never `errors` or the raw body), redacted and clipped. */
  private errorDetail(responseText: string): string {
    let parsed: unknown;
    try {
      parsed = JSON.parse(responseText);
    } catch {
      return '';
    }
    const messages = (parsed as { errorMessages?: unknown } | null)?.errorMessages;
    if (!Array.isArray(messages)) return '';
    let detail = messages.filter((message): message is string => typeof message === 'string').join('; ');
    for (const secret of this.secrets) detail = detail.split(secret).join('[redacted]');
    detail = detail.replace(/[\r\n\t]+/g, ' ');
    return detail.length > MAX_ERROR_DETAIL ? `${detail.slice(0, MAX_ERROR_DETAIL - 1)}…` : detail;
  }
}
