import type { HttpRequest, HttpResponse } from '../core/http';
import { MetricNames } from '../core/metric-names';
import { metrics } from '../core/metrics';
import { findSource } from '../sources/registry';

/**
 * What ingest's answers mean in metrics: accepted, duplicate, ignored, or a rejection with a
 * reason from a fixed list (the response text is never used as a dimension). The source is a
 * registry name or `unknown`, never the raw path segment.
 */
export function recordIngestOutcome(sourceName: string, response: HttpResponse): void {
  const source = findSource(sourceName)?.name ?? 'unknown';
  const status = response.body.status;
  if (response.status === 202 && status === 'accepted') {
    metrics.record(MetricNames.webhooksAccepted, 1, 'Count', { source });
  } else if (response.status === 202 && status === 'ignored') {
    metrics.record(MetricNames.webhooksIgnored, 1, 'Count', { source });
  } else if (response.status === 200 && status === 'duplicate') {
    metrics.record(MetricNames.webhookDuplicates, 1, 'Count', { source });
  } else {
    metrics.record(MetricNames.webhookRejections, 1, 'Count', { source, reason: rejectionReason(response) });
  }
}

/** A short, fixed reason for a refused or failed delivery. */
export function rejectionReason(response: HttpResponse): string {
  const error = typeof response.body.error === 'string' ? response.body.error : '';
  switch (response.status) {
    case 400:
      if (error.startsWith('invalid payload')) return 'invalid_payload';
      if (error.startsWith('missing delivery id')) return 'missing_delivery_id';
      return 'malformed_body';
    case 401:
      return 'bad_signature';
    case 404:
      return 'unknown_source';
    case 405:
      return 'method_not_allowed';
    case 413:
      return 'too_large';
    case 503:
      return error.startsWith('signing secret') ? 'secret_not_configured' : 'publish_failed';
    default:
      return response.status >= 500 ? 'internal_error' : `status_${response.status}`;
  }
}

/**
 * The delivery id, read before verification so every log line of the request carries it:
 * the source's own rule (a header, or for Lever the body's token). Unverified, so only used
 * as a log key, and clipped.
 */
export function deliveryIdOf(sourceName: string, request: HttpRequest): string | undefined {
  const source = findSource(sourceName);
  if (!source) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(request.body).toString('utf8'));
  } catch {
    payload = undefined;
  }
  const id = source.deliveryId(request.headers, payload);
  return id ? `${source.name}:${id.slice(0, 150)}` : undefined;
}
