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
  /** The model's output limit for one draft of this kind, in tokens. */
  maxOutputTokens: number;
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
export function defineDocumentKind<K extends string, S extends FactsSchema>(module: DocumentKindModule<K, S>): DocumentKindModule<K, S> {
  return module;
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
