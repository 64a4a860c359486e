import { type ScenarioDelivery, signers } from './signers';

export interface SendResult {
  status: number;
  body: unknown;
  ms: number;
}

/** Signs a scenario delivery the way its vendor would and posts it to a running service. */
export async function sendDelivery(baseUrl: string, delivery: ScenarioDelivery, secret: string): Promise<SendResult> {
  const signer = signers[delivery.source];
  if (!signer) throw new Error(`No signer for source ${delivery.source}`);
  const signed = signer(delivery, secret, new Date());
  const started = performance.now();
  const response = await fetch(`${baseUrl}/webhooks/${delivery.source}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signed.headers },
    body: signed.body,
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
