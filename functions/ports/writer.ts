import type { FactValue, Link } from '../core/canonical-event';

/** Every document the service writes. Each has a spec (sections, length) in `functions/writer/document-kinds.ts`. */
export const DOCUMENT_KINDS = [
  'incident.brief',
  'incident.update',
  'incident.closing',
  'escalation',
  'approval.request',
  'digest',
] as const;

export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/**
 * What the writer is given: the kind of document and the facts it may use. Every number,
 * name and identifier in the output must come from here.
 */
export interface WriteRequest {
  kind: DocumentKind;
  /** Flat, already computed facts (durations are computed by code, never by the model). */
  facts: Record<string, FactValue>;
  /** Untrusted free text from the source (titles, notes), kept apart so it can be fenced. */
  untrusted: Record<string, string>;
  /** The events the document rests on (incident, issue, application), shown with it. */
  links: Link[];
}

export interface DocumentSection {
  heading: string;
  body: string;
}

/** Tokens one or more model calls used, as the Messages API reports them. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheWriteTokens: number;
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
