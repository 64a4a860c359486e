import { StoreUnavailableError } from '../ports/store-unavailable';

/** DynamoDB error names that mean "not now" rather than "this request is wrong". */
const TRANSIENT_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalServerError',
  'ServiceUnavailable',
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'LimitExceededException',
]);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

/** True when a DynamoDB call failed because the service could not be reached or was overloaded. */
export function isDynamoUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code, $metadata } = error as Error & { code?: string; $metadata?: { httpStatusCode?: number } };
  if (TRANSIENT_NAMES.has(error.name) || (code !== undefined && NETWORK_CODES.has(code))) return true;
  if (($metadata?.httpStatusCode ?? 0) >= 500) return true;
  // Socket-level failures surface with the message only ("socket hang up", "connect ECONNREFUSED").
  return /ECONNREFUSED|ECONNRESET|socket hang up|timed? ?out/i.test(error.message);
}

/** Rethrows an unreachable-DynamoDB failure as the port's StoreUnavailableError, anything else as is. */
export function asStoreError(error: unknown): unknown {
  if (error instanceof StoreUnavailableError || !isDynamoUnavailable(error)) return error;
  const detail = error instanceof Error ? ((error as Error & { code?: string }).code ?? error.name) : 'unknown error';
  return new StoreUnavailableError('DynamoDB', detail, { cause: error });
}
