import type { WrittenDocument } from '../ports/writer';

/**
 * A written document as Markdown, ready to paste into a board or E-staff document: the
 * headline as the title, each section a heading, each line a list item, links at the end.
 * The text is the document's own: nothing is added but structure.
 */
export function toMarkdown(document: Pick<WrittenDocument, 'headline' | 'sections' | 'links'>, subtitle?: string): string {
  const out = [`# ${escapeMarkdown(document.headline)}`];
  if (subtitle) out.push('', `_${subtitle}_`);
  for (const section of document.sections) {
    out.push('', `## ${escapeMarkdown(section.heading)}`, '');
    for (const line of section.body.split('\n').filter((l) => l.trim() !== '')) out.push(`- ${escapeMarkdown(line.replace(/^- /, ''))}`);
  }
  if (document.links.length > 0) {
    out.push('', '## Sources', '');
    for (const link of document.links) out.push(`- [${link.label.replace(/[[\]]/g, '')}](${link.url})`);
  }
  return `${out.join('\n')}\n`;
}

/**
 * Text from webhooks (incident titles) or the model, made inert: no HTML, no link or image
 * syntax, no emphasis or heading that changes the document's structure. Only the links the
 * code attaches become links.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]])/g, '\\$1');
}
