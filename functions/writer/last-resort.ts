import type { WriteRequest, Writer, WrittenDocument } from '../ports/writer';

/**
 * The template's document, or undefined when the template itself throws (`onError` is told):
 * shared by the Claude writer's fallbacks and by the template route, which must not load the
 * Claude writer just to reach the template.
 */
export async function templateOrNothing(template: Writer, request: WriteRequest, onError: (err: unknown) => void): Promise<WrittenDocument | undefined> {
  try {
    return await template.write(request);
  } catch (err) {
    onError(err);
    return undefined;
  }
}

/** Only if the fallback writer itself throws: a grounded, fact-free placeholder. */
export function lastResortDocument(request: WriteRequest, reason: string): WrittenDocument {
  return {
    kind: request.kind,
    headline: 'A message could not be written.',
    sections: [
      {
        heading: 'What to do',
        body: 'The writers failed for this event. Open the links for the details from the source.',
      },
    ],
    links: request.links.map((link) => ({ ...link })),
    writer: 'none',
    fallbackReason: reason,
  };
}
