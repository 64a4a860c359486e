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
