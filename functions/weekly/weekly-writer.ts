import type { Link } from '../core/canonical-event';
import type { DocumentKind, Writer, WrittenDocument } from '../ports/writer';
import { type WeeklyFacts, weeklyTemplate } from './weekly-document';

/**
 * Writes the weekly update. Until the document-kind registry lands (issue 17) the writers do
 * not know the `weekly` kind, so the template writes it; then this becomes one writer call.
 */
export async function writeWeekly(_writer: Writer, facts: WeeklyFacts, links: Link[]): Promise<WrittenDocument> {
  const { headline, sections } = weeklyTemplate(facts);
  return { kind: 'weekly' as DocumentKind, headline, sections, links, writer: 'template' };
}
