import type { Link } from '../core/canonical-event';

export type DocumentKind = 'incident.brief' | 'incident.update' | 'incident.closing';

/**
 * What the writer is given: the kind of document and the facts it may use. Every number,
 * name and identifier in the output must come from here.
 */
export interface WriteRequest {
  kind: DocumentKind;
  /** Flat, already computed facts (durations are computed by code, never by the model). */
  facts: Record<string, string | number | boolean | null | string[]>;
  /** Untrusted free text from the source (titles, notes), kept apart so it can be fenced. */
  untrusted: Record<string, string>;
  links: Link[];
}

export interface DocumentSection {
  heading: string;
  body: string;
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
}

export interface Writer {
  write(request: WriteRequest): Promise<WrittenDocument>;
}
