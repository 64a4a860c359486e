import { MetricNames } from '../core/metric-names';
import { metrics } from '../core/metrics';
import { validateFacts } from '../documents/registry';
import type { Clock } from '../ports/clock';
import type { TokenLedger } from '../ports/token-ledger';
import type { Writer, WriteRequest, WrittenDocument } from '../ports/writer';

export interface MeteredWriterBudget {
  ledger: TokenLedger;
  dailyTokens: number;
  clock: Clock;
}

/**
 * Checks every request's facts against its kind, then records what every document cost and how it was written, from the document itself: kind and
 * writer, grounding corrections, template fallbacks by reason, tokens and estimated cost, and
 * after a model call the day's share of the token budget (what the 80% alarm watches).
 */
export class MeteredWriter implements Writer {
  constructor(
    private readonly inner: Writer,
    private readonly budget?: MeteredWriterBudget,
  ) {}

  async write(request: WriteRequest): Promise<WrittenDocument> {
    // Facts are checked before any model is paid: a producer that forgot one fails here, naming it.
    validateFacts(request.kind, request.facts);
    const document = await this.inner.write(request);
    recordDocument(document);
    if (this.budget && (document.usage?.calls || document.fallbackReason === 'daily_token_budget_reached')) {
      await this.recordBudgetShare(this.budget);
    }
    return document;
  }

  private async recordBudgetShare({ ledger, dailyTokens, clock }: MeteredWriterBudget): Promise<void> {
    try {
      const spend = await ledger.spend(clock.now().toISOString().slice(0, 10));
      metrics.record(MetricNames.tokenBudgetUsedPercent, (100 * spend.totalTokens) / dailyTokens, 'Percent');
    } catch {
      // The ledger being unreadable already shows in the writer's log; the document stands.
    }
  }
}

/** The document's metrics; writer is `template`, `none` or `claude:<configured model>`, so the set stays small. */
export function recordDocument(document: WrittenDocument): void {
  const { kind } = document;
  metrics.record(MetricNames.documentsWritten, 1, 'Count', { kind, writer: document.writer });
  if (document.fallbackReason) metrics.record(MetricNames.templateFallbacks, 1, 'Count', { reason: fallbackFamily(document.fallbackReason) });
  if (document.violations?.length && document.writer.startsWith('claude:')) metrics.record(MetricNames.groundingCorrections, 1, 'Count', { kind });
  const usage = document.usage;
  if (!usage || usage.calls === 0) return;
  const model = { model: usage.model };
  metrics.record(MetricNames.modelInputTokens, usage.inputTokens, 'Count', model);
  metrics.record(MetricNames.modelOutputTokens, usage.outputTokens, 'Count', model);
  metrics.record(MetricNames.modelCacheWriteTokens, usage.cacheWriteTokens, 'Count', model);
  metrics.record(MetricNames.modelCacheReadTokens, usage.cacheReadTokens, 'Count', model);
  metrics.record(MetricNames.modelEstimatedCostUsd, usage.estimatedCostUsd, 'None', model);
}

/** `api_error_529_overloaded_error; fallback_failed` → `api_error_529_overloaded_error`: the cause, not the chain. */
function fallbackFamily(reason: string): string {
  return (reason.split(';')[0] ?? reason).trim().slice(0, 60);
}
