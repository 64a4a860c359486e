import { incidentFactsWith } from '../support/write-requests';
import { afterEach, describe, expect, it } from 'vitest';
import { DynamoStore } from '../../functions/adapters/dynamo-store';
import { SlackChat } from '../../functions/adapters/slack-chat';
import type { CanonicalEvent } from '../../functions/core/canonical-event';
import { MetricNames } from '../../functions/core/metric-names';
import { useMetrics } from '../../functions/core/metrics';
import { recordPublished } from '../../functions/core/published-metrics';
import { MemoryMetrics } from '../../functions/ports/metrics';
import type { Writer, WrittenDocument } from '../../functions/ports/writer';
import { MeteredWriter } from '../../functions/writer/metered-writer';
import { freshTable } from '../support/dynamo';
import { InboxChat } from '../../functions/adapters/inbox-chat';
import { createOutbox } from '../../functions/outbox/create-outbox';
import { sweepOutbox } from '../../functions/outbox/sweeper';
import { startFakeSlack } from '../support/fake-slack';

let restore: (() => void) | undefined;
function recording(): MemoryMetrics {
  const memory = new MemoryMetrics();
  restore = useMetrics(memory);
  return memory;
}
afterEach(() => restore?.());

const request = { kind: 'incident.brief' as const, facts: incidentFactsWith({}), untrusted: {}, links: [] };
const usage = { model: 'claude-x', calls: 2, inputTokens: 1000, outputTokens: 200, cacheWriteTokens: 300, cacheReadTokens: 400, estimatedCostUsd: 0.01 };
const writerOf = (document: Partial<WrittenDocument>): Writer => ({
  write: async () => ({ kind: 'incident.brief', headline: 'h', sections: [], links: [], writer: 'template', ...document }),
});

describe('metrics', () => {
  it('counts Slack calls that fail after the client retries, by method, whatever the method', async () => {
    const metrics = recording();
    const slack = await startFakeSlack();
    try {
      const chat = new SlackChat({ token: 'fake-token', apiUrl: slack.apiUrl, retries: 0 });
      slack.failNext('chat.postMessage', 1, 500);
      await expect(chat.post({ channel: '#c', text: 't', blocks: [] })).rejects.toThrow();
      await chat.post({ channel: '#c', text: 't', blocks: [] });
      slack.failNext('chat.update', 1, 500);
      await expect(chat.update({ channel: '#c', ts: '1.2', text: 't', blocks: [] })).rejects.toThrow();
    } finally {
      await slack.close();
    }
    expect(metrics.total(MetricNames.slackFailures, { method: 'chat.postMessage' })).toBe(1);
    expect(metrics.total(MetricNames.slackFailures, { method: 'chat.update' })).toBe(1);
    expect(metrics.total(MetricNames.slackFailures)).toBe(2);
  });

  it('records documents by kind and writer, corrections, fallbacks by reason, tokens and cost', async () => {
    const metrics = recording();
    await new MeteredWriter(writerOf({ writer: 'claude:claude-x', violations: ['draft 1: unsupported figure'], usage })).write(request);
    await new MeteredWriter(writerOf({ fallbackReason: 'api_error_529_overloaded_error; fallback_failed', usage: { ...usage, calls: 1 } })).write(request);
    expect(metrics.total(MetricNames.documentsWritten, { kind: 'incident.brief', writer: 'claude:claude-x' })).toBe(1);
    expect(metrics.total(MetricNames.documentsWritten, { writer: 'template' })).toBe(1);
    expect(metrics.total(MetricNames.groundingCorrections, { kind: 'incident.brief' })).toBe(1);
    expect(metrics.total(MetricNames.templateFallbacks, { reason: 'api_error_529_overloaded_error' })).toBe(1);
    expect(metrics.total(MetricNames.modelInputTokens, { model: 'claude-x' })).toBe(2000);
    expect(metrics.total(MetricNames.modelOutputTokens)).toBe(400);
    expect(metrics.total(MetricNames.modelCacheWriteTokens)).toBe(600);
    expect(metrics.total(MetricNames.modelCacheReadTokens)).toBe(800);
    expect(metrics.total(MetricNames.modelEstimatedCostUsd)).toBeCloseTo(0.02);
  });

  it("records the day's share of the token budget from the ledger after a model call", async () => {
    const metrics = recording();
    const table = await freshTable('metrics');
    const ledger = new DynamoStore(table.db, table.tableName);
    const clock = { now: () => new Date('2026-12-01T12:00:00Z') };
    await ledger.record('2026-12-01', { inputTokens: 700, outputTokens: 100, cacheWriteTokens: 0, cacheReadTokens: 0 }, 0.01, 1);
    await new MeteredWriter(writerOf({ writer: 'claude:claude-x', usage }), { ledger, dailyTokens: 1000, clock }).write(request);
    expect(metrics.records.filter((r) => r.name === MetricNames.tokenBudgetUsedPercent).map((r) => [r.value, r.unit])).toEqual([[80, 'Percent']]);
    // The template alone spends nothing: no budget reading.
    await new MeteredWriter(writerOf({}), { ledger, dailyTokens: 1000, clock }).write(request);
    expect(metrics.records.filter((r) => r.name === MetricNames.tokenBudgetUsedPercent)).toHaveLength(1);
  });

  it('records the outbox backlog on every sweep, empty or not (what the 15-minute alarm reads)', async () => {
    const metrics = recording();
    const table = await freshTable('metrics-outbox');
    const parts = createOutbox(table.db, table.tableName, new InboxChat(), () => {});
    await sweepOutbox(parts);
    expect(metrics.records.filter((r) => r.name === MetricNames.outboxPendingDocuments).map((r) => r.value)).toEqual([0]);
    expect(metrics.records.filter((r) => r.name === MetricNames.outboxOldestPendingAgeSeconds).map((r) => [r.value, r.unit])).toEqual([[0, 'Seconds']]);
  });

  it('counts published events by type and decided approvals by outcome', () => {
    const metrics = recording();
    const event = (type: string, status?: string) => ({ type, facts: status ? { status } : {} }) as unknown as CanonicalEvent;
    recordPublished([
      event('incident.triggered'),
      event('approval.decided', 'approved'),
      event('approval.decided', 'rejected'),
      event('approval.expired', 'expired'),
      event('approval.cancelled', 'cancelled'),
    ]);
    expect(metrics.total(MetricNames.eventsPublished)).toBe(5);
    expect(metrics.total(MetricNames.eventsPublished, { type: 'incident.triggered' })).toBe(1);
    expect(metrics.total(MetricNames.approvalsDecided)).toBe(3);
    expect(metrics.total(MetricNames.approvalsDecided, { outcome: 'approved' })).toBe(1);
    expect(metrics.total(MetricNames.approvalsDecided, { outcome: 'expired' })).toBe(1);
  });
});
