import type { FactValue, Link } from '../core/canonical-event';

import type { DocumentKind, FactsOf } from '../documents/registry';

export type { DocumentKind } from '../documents/registry';
export { DOCUMENT_KINDS } from '../documents/registry';

/**
 * What the writer is given for one document of kind `K`: the facts it may use (typed by the
 * kind's schema in `functions/documents/`), the untrusted free text, and the links. Every
 * number, name and identifier in the output must come from here.
 */
export interface WriteRequestOf<K extends DocumentKind> {
  kind: K;
  /** Flat, already computed facts (durations are computed by code, never by the model). */
  facts: FactsOf<K>;
  /** Untrusted free text from the source (titles, notes), kept apart so it can be fenced. */
  untrusted: Record<string, string>;
  /** The events the document rests on (incident, issue, application), shown with it. */
  links: Link[];
}

/** A write request of any kind. */
export type WriteRequest = { [K in DocumentKind]: WriteRequestOf<K> }[DocumentKind];

/** A write request as a writer's internals read it (prompt, grounding check): the facts as plain values. */
export interface AnyWriteRequest {
  kind: DocumentKind;
  facts: Readonly<Record<string, FactValue | undefined>>;
  untrusted: Record<string, string>;
  links: Link[];
}

import type { DocumentSection } from '../documents/kind';

export type { DocumentSection };

/** Tokens one or more model calls used, as the Messages API reports them. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheWriteTokens: number;
  /** The part of `cacheWriteTokens` written with the 1-hour TTL (priced higher); absent means none. */
  cacheWrite1hTokens?: number;
  cacheReadTokens: number;
}

export interface WriteUsage extends TokenUsage {
  model: string;
  /** Model calls made for this document (2 when a corrective call was needed). */
  calls: number;
  /** From the price table in `functions/writer/pricing.ts`; an estimate, not a bill. */
  estimatedCostUsd: number;
}

/** A written document in plain text; rendering to Slack (and escaping) happens later. */
export interface WrittenDocument {
  kind: DocumentKind;
  headline: string;
  sections: DocumentSection[];
  links: Link[];
  /** Which writer produced it: `template`, or `claude:<model>`. */
  writer: string;
  /** Set when the Claude writer failed and the template stood in. */
  fallbackReason?: string;
  /**
   * Problems found in the model's drafts, one line each (an unsupported claim, a missing
   * section, a length overrun), kept even when the corrective call fixed them.
   */
  violations?: string[];
  /** Set when a model wrote (or tried to write) it. */
  usage?: WriteUsage;
}

export interface Writer {
  write(request: WriteRequest): Promise<WrittenDocument>;
}
