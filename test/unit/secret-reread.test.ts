import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../functions/core/env';
import { REREAD_INTERVAL_MS, withRereadOnRefusal } from '../../functions/core/secret-reread';
import { VirtualTime } from '../support/virtual-time';
import { RotatingSecrets } from '../support/rotating-secrets';

const OLD = 'fake-old-value';
const NEW = 'fake-new-value';

/** An attempt that accepts only `accepted`, recording the values it was given. */
function accepting(accepted: string) {
  const given: (string | undefined)[] = [];
  const attempt = async (value: string | undefined) => {
    given.push(value);
    return value === accepted;
  };
  return { given, attempt, refused: (outcome: { ok: boolean; value?: boolean }) => outcome.ok && outcome.value === false };
}

describe('withRereadOnRefusal: re-read a refused secret, at most once a minute per stored secret', () => {
  it('a secret rotated under a running container is picked up at the first refusal, with one re-read', async () => {
    // Prepare
    const secrets = new RotatingSecrets({ SLACK_SIGNING_SECRET: OLD });
    const clock = new VirtualTime('2026-12-02T09:00:00Z');
    secrets.rotate('SLACK_SIGNING_SECRET', NEW);
    const { given, attempt, refused } = accepting(NEW);
    // Act
    const verified = await withRereadOnRefusal({ secrets, clock, name: 'SLACK_SIGNING_SECRET' }, attempt, refused);
    // Assess
    expect(verified).toBe(true);
    expect(given).toEqual([OLD, NEW]);
    expect(secrets.rereads).toBe(1);
    // The cache now holds the new value: the next request needs no re-read.
    expect(await withRereadOnRefusal({ secrets, clock, name: 'SLACK_SIGNING_SECRET' }, attempt, refused)).toBe(true);
    expect(secrets.rereads).toBe(1);
  });

  it('forged requests make at most one re-read a minute, and none is retried with the same value', async () => {
    const secrets = new RotatingSecrets({ PAGERDUTY_WEBHOOK_SECRET: OLD, GITHUB_WEBHOOK_SECRET: OLD });
    const clock = new VirtualTime('2026-12-02T09:00:00Z');
    const { given, attempt, refused } = accepting('a-secret-nobody-has');
    for (let i = 0; i < 100; i += 1) {
      // Two sources, one stored secret (the signing-secrets JSON): one budget between them.
      const name = i % 2 === 0 ? 'PAGERDUTY_WEBHOOK_SECRET' : 'GITHUB_WEBHOOK_SECRET';
      expect(await withRereadOnRefusal({ secrets, clock, name }, attempt, refused)).toBe(false);
      await clock.advance(REREAD_INTERVAL_MS / 100 - 1); // the 100 requests span just under a minute
    }
    expect(secrets.rereads).toBe(1);
    expect(given).toHaveLength(100); // the re-read found the same value: no second attempt
    await clock.advance(REREAD_INTERVAL_MS);
    await withRereadOnRefusal({ secrets, clock, name: 'PAGERDUTY_WEBHOOK_SECRET' }, attempt, refused);
    expect(secrets.rereads).toBe(2);
  });

  it('the credentials have a budget of their own: forged signatures do not delay a rotated token', async () => {
    const secrets = new RotatingSecrets({ SLACK_SIGNING_SECRET: OLD, SLACK_BOT_TOKEN: OLD });
    const clock = new VirtualTime('2026-12-02T09:00:00Z');
    const forged = accepting('a-secret-nobody-has');
    await withRereadOnRefusal({ secrets, clock, name: 'SLACK_SIGNING_SECRET' }, forged.attempt, forged.refused);
    secrets.rotate('SLACK_BOT_TOKEN', NEW);
    const post = accepting(NEW);
    expect(await withRereadOnRefusal({ secrets, clock, name: 'SLACK_BOT_TOKEN' }, post.attempt, post.refused)).toBe(true);
    expect(secrets.rereads).toBe(2);
  });

  it('a thrown refusal is retried with the new value; any other error is thrown without a re-read', async () => {
    const secrets = new RotatingSecrets({ ANTHROPIC_API_KEY: OLD });
    const clock = new VirtualTime('2026-12-02T09:00:00Z');
    const refused = (outcome: { ok: boolean; error?: unknown }) => !outcome.ok && outcome.error instanceof ConfigError;
    const call = async (key: string | undefined) => {
      if (key !== NEW) throw new ConfigError('refused key');
      return 'written';
    };
    await expect(withRereadOnRefusal({ secrets, clock, name: 'ANTHROPIC_API_KEY' }, call, refused)).rejects.toThrow('refused key');
    expect(secrets.rereads).toBe(1);
    secrets.rotate('ANTHROPIC_API_KEY', NEW);
    await clock.advance(REREAD_INTERVAL_MS);
    expect(await withRereadOnRefusal({ secrets, clock, name: 'ANTHROPIC_API_KEY' }, call, refused)).toBe('written');
    expect(secrets.rereads).toBe(2);
    await expect(
      withRereadOnRefusal({ secrets, clock, name: 'ANTHROPIC_API_KEY' }, async () => Promise.reject(new Error('network down')), refused),
    ).rejects.toThrow('network down');
    expect(secrets.rereads).toBe(2);
  });
});
