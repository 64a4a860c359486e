import { type DocumentRegistry, documents } from '../documents/registry';
import type { WriteRequest, WrittenDocument, Writer } from '../ports/writer';

/**
 * The deterministic writer: the default, the fallback, and what runs with no key and no
 * network. Each kind's template (in `functions/documents/`) uses only the facts it is handed,
 * so it is grounded by construction. Facts are checked against the kind's schema first: a
 * producer that forgot one gets an error naming the kind and the field.
 */
export class TemplateWriter implements Writer {
  constructor(private readonly registry: DocumentRegistry = documents) {}

  async write(request: WriteRequest): Promise<WrittenDocument> {
    const facts = this.registry.validateFacts(request.kind, request.facts);
    const { headline, sections } = this.registry.get(request.kind).template({ facts, untrusted: request.untrusted, links: request.links });
    return { kind: request.kind, headline, sections, links: request.links, writer: 'template' };
  }
}
