import { expect } from 'vitest';
import { ingestWebhook } from '../../functions/ingest/ingest';
import { findSource } from '../../functions/sources/registry';
import { type ScenarioDelivery, signers } from '../../local/scenarios/signers';

type IngestDeps = Parameters<typeof ingestWebhook>[2] & { bus: { drain(): Promise<void> } };

/** Signs each scenario delivery as its vendor would, ingests it (expecting a 2xx) and lets the bus's workers finish. */
export function signedDeliverer(ingestDeps: IngestDeps, secrets: Record<string, string>, now: Date) {
  return async (deliveries: ScenarioDelivery[]): Promise<void> => {
    for (const delivery of deliveries) {
      const source = findSource(delivery.source);
      const signer = signers[delivery.source];
      if (!source || !signer) throw new Error(`no source ${delivery.source}`);
      const signed = signer(delivery, secrets[source.secretName] ?? '', now);
      const response = await ingestWebhook(delivery.source, { method: 'POST', headers: signed.headers, body: Buffer.from(signed.body) }, ingestDeps);
      expect(response.status, JSON.stringify(response.body)).toBeLessThan(300);
      await ingestDeps.bus.drain();
    }
  };
}
