import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { anthropicKeyFetch } from '../../functions/adapters/anthropic-key-fetch';
import { REREAD_INTERVAL_MS } from '../../functions/core/secret-reread';
import { createAnthropicClient } from '../../functions/writer/claude-writer';
import { DEFAULT_TIER_MODELS } from '../../functions/writer/model-tiers';
import { errorReply, type FakeAnthropic, messageReply, startFakeAnthropic, stopFakeAnthropic } from '../../local/fake-anthropic';
import { RotatingSecrets } from '../support/rotating-secrets';
import { VirtualTime } from '../support/virtual-time';

const OLD = 'fake-old-anthropic-key';
const NEW = 'fake-new-anthropic-key';

describe('the Anthropic key rotated under a running container (real @anthropic-ai/sdk against a fake API)', () => {
  let anthropic: FakeAnthropic;
  beforeAll(async () => {
    anthropic = await startFakeAnthropic();
  });
  afterAll(() => stopFakeAnthropic(anthropic));
  beforeEach(() => {
    anthropic.reset();
    // The API accepts only the new key, as after the old one was revoked in the console.
    anthropic.otherwise((request) => (request.headers.authorization === `Bearer ${NEW}` ? messageReply('written') : errorReply(401)));
  });

  /** A client as lambdaWriter builds it: created with the key read at the first invocation, which the container keeps. */
  function warmClient() {
    const secrets = new RotatingSecrets({ ANTHROPIC_API_KEY: OLD });
    const clock = new VirtualTime('2026-12-02T09:00:00Z');
    const client = createAnthropicClient({ apiKey: OLD, baseURL: anthropic.baseURL, maxRetries: 0, fetch: anthropicKeyFetch(secrets, clock) });
    const write = () => client.messages.create({ model: DEFAULT_TIER_MODELS.standard, max_tokens: 64, messages: [{ role: 'user', content: 'hello' }] });
    return { secrets, clock, write };
  }

  it('a 401 re-reads the key once and the request is sent again with the new one; later requests use it at once', async () => {
    const { secrets, write } = warmClient();
    secrets.rotate('ANTHROPIC_API_KEY', NEW);
    expect((await write()).content[0]).toMatchObject({ type: 'text', text: 'written' });
    expect((await write()).content[0]).toMatchObject({ type: 'text', text: 'written' });
    expect(secrets.rereads).toBe(1);
    expect(anthropic.requests.map((request) => request.headers.authorization)).toEqual([`Bearer ${OLD}`, `Bearer ${NEW}`, `Bearer ${NEW}`]);
  });

  it("a revoked key with no new one: the 401 is the caller's, and the key is re-read at most once a minute", async () => {
    const { secrets, clock, write } = warmClient();
    for (let i = 0; i < 5; i += 1) await expect(write()).rejects.toMatchObject({ status: 401 });
    expect(secrets.rereads).toBe(1);
    await clock.advance(REREAD_INTERVAL_MS);
    await expect(write()).rejects.toMatchObject({ status: 401 });
    expect(secrets.rereads).toBe(2);
    expect(anthropic.requests).toHaveLength(6); // the re-read found the same key: never sent twice
  });
});
