import { describe, expect, it } from 'vitest';
import { modelCostPerDay } from '../../scripts/bench/model-cost';
import { byModel, type RoutedDocument } from '../../scripts/bench/model-documents';
import { estimateCostUsd } from '../../functions/writer/pricing';

const HAIKU = 'claude-haiku-5-5';
const at = (minute: number) => ({ scenario: 'QONE', minute });
const figure = (figures: { id: string; value: number; label: string }[], id: string) => figures.find((f) => f.id === id);

describe('model cost a day', () => {
  const documents: RoutedDocument[] = [
    { kind: 'incident.update', writer: HAIKU, at: at(12) },
    { kind: 'incident.update', writer: 'template', at: at(7) },
    { kind: 'incident.update', writer: 'template', at: at(20) },
  ];
  // One sampled incident (7 deliveries) stands for 40 a day.
  const samples = [{ perDay: 40 * 7, usage: { documents, n: 7 } }];
  const profile = { 'incident.update': { model: HAIKU, inputTokens: 400, outputTokens: 70, cacheWriteTokens: 0, cacheReadTokens: 4500, calls: 1 } };

  it('counts only the documents routed to a model, prices them with the measured tokens, and adds the cache writes', () => {
    const figures = modelCostPerDay(samples, documents.filter(byModel), profile, { incidents: 40, approvals: 0 });
    const each = estimateCostUsd(HAIKU, { inputTokens: 400, outputTokens: 70, cacheWriteTokens: 0, cacheReadTokens: 4500 });
    expect(figure(figures, 'cost.model_usd_day.incident.update')?.value).toBeCloseTo(40 * each, 3);
    expect(figure(figures, 'cost.model_usd_day.incident.update')?.label).toContain('80 more written exactly by the template');
    expect(figure(figures, 'cost.model_documents_day')?.value).toBe(40);
    const writes = figure(figures, 'cost.model_usd_day.cache_writes')?.value ?? 0;
    expect(writes).toBeGreaterThan(0);
    expect(figure(figures, 'cost.model_usd_day')?.value).toBeCloseTo(40 * each + writes, 2);
  });

  it('bills a system prompt below the model minimum as plain input, with no cache writes', () => {
    const short = { 'incident.update': { ...profile['incident.update'], cacheReadTokens: 1500 } };
    // The same model documents as above (which do write caches when the prompt is cacheable): none here.
    const figures = modelCostPerDay(samples, documents.filter(byModel), short, { incidents: 40, approvals: 0 });
    const each = estimateCostUsd(HAIKU, { inputTokens: 1900, outputTokens: 70, cacheWriteTokens: 0, cacheReadTokens: 0 });
    expect(figure(figures, 'cost.model_usd_day')?.value).toBeCloseTo(40 * each, 3);
    expect(figure(figures, 'cost.model_usd_day.cache_writes')?.value).toBe(0);
  });

  it('refuses to price a kind the writer bench did not measure, or measured with another model', () => {
    expect(() => modelCostPerDay(samples, [], {}, { incidents: 40, approvals: 0 })).toThrow(/no token profile for incident.update/);
    const other = { 'incident.update': { ...profile['incident.update'], model: 'claude-sonnet-5-5' } };
    expect(() => modelCostPerDay(samples, [], other, { incidents: 40, approvals: 0 })).toThrow(/measured claude-sonnet-5-5/);
  });
});
