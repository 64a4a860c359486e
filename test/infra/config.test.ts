import { describe, expect, it } from 'vitest';
import { ConfigInvalidError, parseConfig } from '../../lib/config';
import { cdkJsonConfig } from './app-fixture';

describe('parseConfig', () => {
  it('accepts the context in cdk.json', () => {
    const config = parseConfig(cdkJsonConfig);
    expect(config.stage).toBe(cdkJsonConfig.stage);
    expect(config.maxBodyBytes).toBe(cdkJsonConfig.maxBodyBytes);
  });

  it('defaults claudeWriter to false, hiring retention to 180 days and the Lever window to 5 minutes', () => {
    const { claudeWriter: _omitted, ...rest } = cdkJsonConfig;
    const config = parseConfig(rest);
    expect(config.claudeWriter).toBe(false);
    expect(config.hiringRetentionDays).toBe(180);
    expect(config.leverTimestampWindowMs).toBe(300_000);
  });

  it.each([
    ['stage', 'Prod!'],
    ['maxBodyBytes', '1048576'],
    ['maxBodyBytes', 0],
    ['slackChannelIncidents', ''],
    ['anthropicModel', 42],
    ['logRetentionDays', 31],
    ['claudeWriter', 'yes'],
    ['hiringRetentionDays', 0],
    ['leverTimestampWindowMs', 1000],
  ])('names the bad key %s (%j)', (key, value) => {
    expect(() => parseConfig({ ...cdkJsonConfig, [key]: value })).toThrow(new RegExp(`Invalid cdk.json context "exec-eng-lead": .*"${key}"`));
  });

  it('defaults attention to briefs from P2 and a roll-up past 5 incidents in 10m, and names a bad attention.briefMinPriority at synth', () => {
    expect(parseConfig(cdkJsonConfig).attention).toEqual({ briefMinPriority: 'P2', stormThreshold: 5, stormWindow: '10m' });
    expect(() => parseConfig({ ...cdkJsonConfig, attention: { briefMinPriority: 'SEV2' } })).toThrow(/"attention\.briefMinPriority"/);
    expect(() => parseConfig({ ...cdkJsonConfig, attention: { stormWindow: 'ten minutes' } })).toThrow(/"attention\.stormWindow"/);
  });

  it('names a missing key', () => {
    const { anthropicModel: _missing, ...rest } = cdkJsonConfig;
    expect(() => parseConfig(rest)).toThrow(/"anthropicModel"/);
  });

  it('rejects an unknown (e.g. misspelt) key by name', () => {
    expect(() => parseConfig({ ...cdkJsonConfig, claudWriter: true })).toThrow(/claudWriter/);
  });

  it('says so when the context is missing', () => {
    expect(() => parseConfig(undefined)).toThrow(ConfigInvalidError);
    expect(() => parseConfig(undefined)).toThrow(/context "exec-eng-lead" is missing/);
  });
});
