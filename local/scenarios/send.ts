import { signPagerDutyBody } from '../../functions/sources/pagerduty/verify';
import type { ScenarioDelivery } from './pagerduty-incident';

export interface SendResult {
  status: number;
  body: unknown;
  ms: number;
}

/** Signs a scenario delivery the way its vendor would and posts it to a running service. */
export async function sendDelivery(baseUrl: string, delivery: ScenarioDelivery, secret: string): Promise<SendResult> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/webhooks/${delivery.source}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-webhook-id': delivery.deliveryId,
      'x-pagerduty-signature': signPagerDutyBody(delivery.body, [secret]),
    },
    body: delivery.body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: keep the text for the report.
  }
  return { status: response.status, body, ms: performance.now() - started };
}
