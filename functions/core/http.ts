import { StoreUnavailableError } from '../ports/store-unavailable';

/** A transport-neutral HTTP request: API Gateway and the local server both map to it. */
export interface HttpRequest {
  method: string;
  /** Lower-cased header names. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The body exactly as received; signatures are computed over these bytes. */
  body: Uint8Array;
}

export interface HttpResponse {
  status: number;
  body: Record<string, unknown>;
}

/** A JSON response body with an `error` reason, the shape of every 4xx and 5xx. */
export function errorResponse(status: number, error: string): HttpResponse {
  return { status, body: { error } };
}

type Log = (message: string, detail: Record<string, unknown>) => void;

/**
 * Runs a request's handler and answers a failure the same way in AWS and locally: a store that
 * cannot be reached is the service's outage, not the request's fault (503 with its reason, so
 * the sender retries); anything else is a 500 that names no cause (the log has it).
 */
export async function answerSafely(name: string, handle: () => Promise<HttpResponse>, log: { warn: Log; error: Log }): Promise<HttpResponse> {
  try {
    return await handle();
  } catch (error) {
    if (error instanceof StoreUnavailableError) {
      log.warn(`${name} store unavailable`, { detail: error.detail });
      return errorResponse(503, error.message);
    }
    log.error(`${name} failed`, { error: error instanceof Error ? error.message : String(error) });
    return errorResponse(500, 'internal error; please retry');
  }
}
