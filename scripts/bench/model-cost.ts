import type { DocumentKind } from '../../functions/ports/writer';
import { estimateCostUsd } from '../../functions/writer/pricing';
import { minCacheableTokens, PERSONA_CACHE_TTL } from '../../functions/writer/prompt-cache';
import { cacheWritesPerDay, documentMinutes } from './cache-day';
import { type Figure, round } from './figures';
import { byModel, type RoutedDocument } from './model-documents';
import type { UsageProfile } from './writer';

/** A costed sample: the documents its deliveries made the workers ask for, and how many such deliveries (or runs) a day there are. */
interface DocumentSample {
  perDay: number;
  usage: { documents: readonly RoutedDocument[]; n: number };
}

interface KindDay {
  model: string | undefined;
  byModel: number;
  byTemplate: number;
}

/**
 * cost.model_usd_day and its parts: the documents a day by kind, counted from what the workers
 * asked for in the cost bench's samples (scaled to the day's mix) and routed as production routes
 * them (writer-route.ts); each model document priced at its model with the tokens the writer
 * bench measured for its kind. A system prompt is read from cache only when it reaches its
 * model's minimum cacheable prefix; otherwise it is billed as plain input on every call. Each
 * model's cache is written again whenever its documents are further apart than the TTL.
 */
export function modelCostPerDay(
  samples: readonly DocumentSample[],
  incidentDocuments: readonly RoutedDocument[],
  profile: UsageProfile,
  mix: { incidents: number; approvals: number },
): Figure[] {
  const days = new Map<DocumentKind, KindDay>();
  for (const { perDay, usage } of samples) {
    const scale = perDay / usage.n;
    for (const document of usage.documents) {
      const day = days.get(document.kind) ?? { model: undefined, byModel: 0, byTemplate: 0 };
      if (!byModel(document)) day.byTemplate += scale;
      else if (day.model !== undefined && day.model !== document.writer) {
        throw new Error(`${document.kind} is routed to ${day.model} and ${document.writer}: the cost model prices one model per kind`);
      } else {
        day.model = document.writer;
        day.byModel += scale;
      }
      days.set(document.kind, day);
    }
  }

  const minutes = documentMinutes(mix, incidentDocuments);
  const ttlMinutes = PERSONA_CACHE_TTL === '1h' ? 60 : 5;
  const models = new Map<string, { prefix: number; cached: boolean; minutes: number[] }>();
  const byKind: Figure[] = [];
  let total = 0;
  let modelDocuments = 0;
  let templateDocuments = 0;
  for (const [kind, day] of days) {
    templateDocuments += day.byTemplate;
    const { model } = day;
    if (model === undefined) {
      byKind.push({
        id: `cost.model_usd_day.${kind}`,
        label: `none a day by a model: all ${round(day.byTemplate, 1)} written exactly by the template (the kind's templateFor)`,
        value: 0,
        unit: 'USD/day',
        better: 'lower',
      });
      continue;
    }
    const p = profile[kind];
    if (!p) throw new Error(`no token profile for ${kind}: the writer bench (scripts/bench/writer.ts) must write one`);
    if (p.model !== model) throw new Error(`${kind}: the writer bench measured ${p.model}, the routing picks ${model}; the prompt differs by model`);
    modelDocuments += day.byModel;
    // The system prompt of one call (a document with a corrective call sends it twice).
    const prefix = (p.cacheReadTokens + p.cacheWriteTokens) / p.calls;
    const cached = prefix >= minCacheableTokens(model);
    const entry = models.get(model) ?? { prefix, cached, minutes: [] };
    if (Math.abs(entry.prefix - prefix) > 1)
      throw new Error(`${model}: system prompts of ${entry.prefix} and ${prefix} tokens; one prefix per model is cached`);
    entry.minutes.push(...(minutes[kind] ?? []));
    models.set(model, entry);
    const sent = prefix * p.calls;
    const perDocument = estimateCostUsd(model, {
      inputTokens: p.inputTokens + (cached ? 0 : sent),
      outputTokens: p.outputTokens,
      cacheWriteTokens: 0,
      cacheReadTokens: cached ? sent : 0,
    });
    total += day.byModel * perDocument;
    const templated = day.byTemplate > 0 ? `; ${round(day.byTemplate, 1)} more written exactly by the template, no model call` : '';
    byKind.push({
      id: `cost.model_usd_day.${kind}`,
      label: `${round(day.byModel, 1)} a day with ${model}, $${perDocument.toFixed(4)} each (${Math.round(p.inputTokens + sent)} input${cached ? `, ${Math.round(sent)} of them from cache` : ''}, ${Math.round(p.outputTokens)} output tokens)${templated}`,
      value: round(day.byModel * perDocument, 3),
      unit: 'USD/day',
      better: 'lower',
    });
  }

  // A document that finds its model's cache expired writes the prefix (2x input with the 1 h TTL) instead of reading it (0.1x).
  const cacheNotes: string[] = [];
  let writesUsd = 0;
  for (const [model, { prefix, cached, minutes: at }] of models) {
    if (!cached) {
      cacheNotes.push(`${model}: system prompt ${Math.round(prefix)} tokens < its minimum cacheable ${minCacheableTokens(model)}, billed as input`);
      continue;
    }
    const writes = cacheWritesPerDay(at, ttlMinutes);
    const write = {
      inputTokens: 0,
      outputTokens: 0,
      cacheWriteTokens: prefix,
      cacheWrite1hTokens: PERSONA_CACHE_TTL === '1h' ? prefix : 0,
      cacheReadTokens: 0,
    };
    const read = { inputTokens: 0, outputTokens: 0, cacheWriteTokens: 0, cacheReadTokens: prefix };
    writesUsd += writes * (estimateCostUsd(model, write) - estimateCostUsd(model, read));
    cacheNotes.push(
      `${model}: system prompt ${Math.round(prefix)} tokens ≥ its minimum ${minCacheableTokens(model)}, cached; ${writes} writes a day with the ${PERSONA_CACHE_TTL} TTL (${cacheWritesPerDay(at, 5)} with 5m)`,
    );
  }
  total += writesUsd;

  return [
    {
      id: 'cost.model_usd_day',
      label: `model tokens a day: ${Math.round(modelDocuments)} model documents (and ${Math.round(templateDocuments)} the template writes exactly), counted from what the workers asked for, each kind at its routed model, prices functions/writer/pricing.ts; ${cacheNotes.join('; ')} (scripts/bench/cache-day.ts)`,
      value: round(total, 3),
      unit: 'USD/day',
      target: 0.5,
      better: 'lower',
    },
    ...byKind,
    {
      id: 'cost.model_usd_day.cache_writes',
      label: 'the part of cost.model_usd_day spent writing the prompt caches again after they expired, over reading them',
      value: round(writesUsd, 3),
      unit: 'USD/day',
      better: 'lower',
    },
    {
      id: 'cost.model_documents_day',
      label: `documents a day a model writes (${[...days].map(([kind, day]) => `${kind} ${round(day.byModel, 1)}`).join(', ')})`,
      value: round(modelDocuments, 1),
      unit: 'documents',
      better: 'lower',
    },
  ];
}
