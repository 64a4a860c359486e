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

/**
 * Sends a delivery as its vendor would under trouble: a 5xx or no answer is sent again (same
 * delivery id) after a growing pause, up to `attempts` times; a 4xx is final. The last result.
 */
export async function sendUntilAccepted(baseUrl: string, delivery: ScenarioDelivery, secret: string, attempts = 5): Promise<SendResult> {
  let last: SendResult = { status: 0, body: 'not sent', ms: 0 };
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    last = await sendDelivery(baseUrl, delivery, secret).catch((error: unknown) => ({
      status: 0,
      body: error instanceof Error ? error.message : String(error),
      ms: 0,
    }));
    if (last.status < 500 && last.status !== 0) return last;
    await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
  }
  return last;
}
