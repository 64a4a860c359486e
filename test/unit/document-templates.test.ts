import { describe, expect, it } from 'vitest';
import { DOCUMENT_KINDS } from '../../functions/documents/registry';
import { structuralProblems } from '../../functions/writer/document-kinds';
import { checkGrounding, describeViolation } from '../../functions/writer/grounding';
import { TemplateWriter } from '../../functions/writer/template-writer';
import type { WrittenDocument } from '../../functions/ports/writer';
import { demoWriteRequests } from '../support/demo-write-requests';

/** The document as a reader sees it, in plain text: what the snapshots keep reviewable in diffs. */
function asText(document: WrittenDocument): string {
  return [`# ${document.headline}`, ...document.sections.map((section) => `\n## ${section.heading}\n${section.body}`)].join('\n') + '\n';
}

const requests = demoWriteRequests();

describe('every template on the demo facts', () => {
  it('has demo facts for every registered kind (a new kind brings its own)', () => {
    expect(DOCUMENT_KINDS.filter((kind) => !requests[kind]?.length)).toEqual([]);
  });

  for (const kind of DOCUMENT_KINDS) {
    it(`${kind}: passes its own grounding and structure checks, and reads as the snapshot`, async () => {
      const texts: string[] = [];
      for (const request of requests[kind] ?? []) {
        const document = await new TemplateWriter().write(request);
        expect(checkGrounding(document, request).map(describeViolation)).toEqual([]);
        expect(structuralProblems(kind, document)).toEqual([]);
        texts.push(asText(document));
      }
      await expect(texts.join('\n---\n\n')).toMatchFileSnapshot(`__snapshots__/documents/${kind}.md`);
    });
  }
});
