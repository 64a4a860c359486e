import type { ModelTier } from '../documents/kind';
import { kindSpecs } from '../documents/registry';
import type { AnyWriteRequest, DocumentKind } from '../ports/writer';
import { DEFAULT_TIER_MODELS } from './model-tiers';

/** The override value that sends a kind, or one change of it, to the template writer instead of a model. */
export const TEMPLATE_ROUTE = 'template';

/** Which model writes what: a model per tier, and overrides by kind or by kind and change (a model id or `template`). */
export interface ModelChoice {
  tiers: Readonly<Record<ModelTier, string>>;
  /** Keyed by kind (`incident.update`) or by `changeKey(kind, value)` (see `KindSpec.templateFor`). */
  overrides?: Readonly<Record<string, string>>;
}

/** The choice a writer makes from its configured model, overrides, and fast-tier model (default DEFAULT_TIER_MODELS.fast). */
export function modelChoice(model: string, overrides: Readonly<Record<string, string>> = {}, fastModel: string = DEFAULT_TIER_MODELS.fast): ModelChoice {
  return { tiers: { standard: model, fast: fastModel }, overrides };
}

/** The override key of one value of a kind's routing fact, e.g. `incident.update incident.acknowledged`. */
export function changeKey(kind: DocumentKind, value: string): string {
  return `${kind} ${value}`;
}

/**
 * The model id that writes this request, or `template`. In order: an override for the value of
 * its kind's routing fact (`templateFor.fact`: an update's change, an escalation's rule); the
 * template when the spec lists that value and no human wrote anything to report (text besides
 * the title); an override for its kind; its tier's model.
 */
export function routeFor(request: AnyWriteRequest, choice: ModelChoice): string {
  const spec = kindSpecs[request.kind];
  const fact = spec.templateFor ? request.facts[spec.templateFor.fact] : undefined;
  const value = typeof fact === 'string' ? fact : undefined;
  const byValue = value === undefined ? undefined : choice.overrides?.[changeKey(request.kind, value)];
  if (byValue) return byValue;
  const humanText = Object.keys(request.untrusted).some((key) => key !== 'title');
  if (value !== undefined && !humanText && spec.templateFor?.values.includes(value)) return TEMPLATE_ROUTE;
  return choice.overrides?.[request.kind] ?? choice.tiers[spec.model];
}
