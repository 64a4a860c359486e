import * as z from 'zod/mini';
import type { FactValue, Link } from '../core/canonical-event';

/**
 * How soon a document must reach its reader, most urgent first. The outbox delivers a paced
 * channel in this order (thread order is kept within a thread).
 */
export const URGENCIES = ['immediate', 'high', 'reply', 'routine'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** Which class of model writes a kind: `fast` (Haiku-class) for short thread replies, `standard` (Sonnet-class) otherwise. */
export type ModelTier = 'fast' | 'standard';

export interface KindSpec {
  /** What the document is for, told to the model with each request. */
  purpose: string;
  /** Headings the document must have, in this order; the template produces exactly these. */
  requiredSections: readonly string[];
  /** Upper bound on headline plus all section text, in characters: executives read on a phone. */
  maxChars: number;
  /** Default delivery urgency; a producer may raise it (a P1 brief is `immediate`). */
  urgency: Urgency;
  /** The model class that writes it unless `ANTHROPIC_MODEL_<KIND>` says otherwise. */
  model: ModelTier;
  /** The model's output limit for one draft of this kind, in tokens; by default what fits `maxChars` (`outputTokensFor`). */
  maxOutputTokens: number;
  /** What a writer must heed for this kind beyond the persona's rules; part of the document guide every model call carries. */
  guidance?: string;
  /**
   * Requests the template writes exactly, with no model call, by the value of one fact (an
   * incident update's `change`, an escalation's `rule`): structural events whose facts say it all,
   * with nothing a human wrote to report (a request carrying text besides the title still goes to
   * the model). Overridable per value and per kind (`ANTHROPIC_MODEL_<KIND>_<VALUE>`,
   * functions/writer/writer-route.ts).
   */
  templateFor?: { fact: string; values: readonly string[] };
}

/** A spec as a kind module declares it: the output limit may be left to `outputTokensFor`. */
export type KindSpecInput = Omit<KindSpec, 'maxOutputTokens'> & { maxOutputTokens?: number };

/**
 * An output limit that fits a kind's sections: its character budget, plus the JSON around the
 * headline and each section (the required ones and the two extra the prompt allows), at three
 * characters a token (fewer than English prose averages, so a draft at the limit is not cut), plus
 * a little slack, rounded up to 50. A longer draft is cut (`max_tokens`) and the template writes.
 */
function outputTokensFor(spec: Pick<KindSpec, 'maxChars' | 'requiredSections'>): number {
  const jsonChars = 40 * (spec.requiredSections.length + 3);
  return Math.ceil((Math.ceil((spec.maxChars + jsonChars) / 3) + 50) / 50) * 50;
}

export interface DocumentSection {
  heading: string;
  body: string;
}

/** What a template gets: the kind's validated facts, the fenced free text, the links. */
export interface TemplateInput<F> {
  facts: F;
  untrusted: Readonly<Record<string, string>>;
  links: readonly Link[];
}

export interface ComposedDocument {
  headline: string;
  sections: DocumentSection[];
}

/** A facts schema: an object of fact values (the model sees them as JSON). */
export type FactsSchema = z.ZodMiniType<Record<string, FactValue | undefined>>;

/**
 * One document kind, whole: its spec (for the model, the structure check and delivery), the
 * facts it may be written from (checked before any writer runs) and its template (the no-key
 * writer and the fallback whenever the model fails).
 */
export interface DocumentKindModule<K extends string = string, S extends FactsSchema = FactsSchema> {
  kind: K;
  spec: KindSpec;
  facts: S;
  template(input: TemplateInput<z.output<S>>): ComposedDocument;
}

/** Declares a document kind; the registry lists what this returns. */
export function defineDocumentKind<K extends string, S extends FactsSchema>(
  module: Omit<DocumentKindModule<K, S>, 'spec'> & { spec: KindSpecInput },
): DocumentKindModule<K, S> {
  return { ...module, spec: { ...module.spec, maxOutputTokens: module.spec.maxOutputTokens ?? outputTokensFor(module.spec) } };
}

/** Fact value schemas, so a kind's facts read like a table. */
export const fact = {
  text: z.string(),
  /** Known or explicitly unknown (`null`): the template says what is missing. */
  maybeText: z.nullable(z.string()),
  optionalText: z.optional(z.nullable(z.string())),
  list: z.array(z.string()),
  optionalList: z.optional(z.array(z.string())),
  number: z.number(),
  maybeNumber: z.nullable(z.number()),
  flag: z.optional(z.boolean()),
  any: z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]),
};

/** Raised when a producer hands a writer facts its kind does not accept; names the kind and the field. */
export class DocumentFactsError extends Error {
  constructor(
    readonly kind: string,
    readonly problems: string[],
  ) {
    super(`${kind} facts are invalid: ${problems.join('; ')}`);
    this.name = 'DocumentFactsError';
  }
}
