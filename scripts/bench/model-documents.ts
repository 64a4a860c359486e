import type { DocumentKind, WriteRequest, Writer, WrittenDocument } from '../../functions/ports/writer';
import { DEFAULT_TIER_MODELS } from '../../functions/writer/model-tiers';
import { TemplateWriter } from '../../functions/writer/template-writer';
import { routeFor, TEMPLATE_ROUTE } from '../../functions/writer/writer-route';

/** One document the service asked for, and who would write it with a key and the default routing. */
export interface RoutedDocument {
  kind: DocumentKind;
  /** A model id, or `template`. */
  writer: string;
  /** Where in its scenario it was asked for (set by the caller before each delivery), when that matters. */
  at: ScenarioPlace | undefined;
}

/** A scenario (one incident's lifecycle) and the minutes since it began. */
export interface ScenarioPlace {
  scenario: string;
  minute: number;
}

/**
 * The template writer (the cost bench runs without a key) that records, for every request the
 * workers make, which writer the production routing (functions/writer/writer-route.ts, default
 * tiers, no overrides) would give it: the model documents a day are counted from what the
 * service asks for, not assumed.
 */
export class RoutedDocumentCounter implements Writer {
  readonly documents: RoutedDocument[] = [];
  /** Where the current delivery sits in its scenario; the caller sets it before each delivery. */
  at: ScenarioPlace | undefined;
  private readonly template = new TemplateWriter();

  async write(request: WriteRequest): Promise<WrittenDocument> {
    this.documents.push({ kind: request.kind, writer: routeFor(request, { tiers: DEFAULT_TIER_MODELS }), at: this.at });
    return this.template.write(request);
  }

  /** The documents recorded since the last call. */
  take(): RoutedDocument[] {
    return this.documents.splice(0);
  }
}

export const byModel = (document: RoutedDocument): boolean => document.writer !== TEMPLATE_ROUTE;
