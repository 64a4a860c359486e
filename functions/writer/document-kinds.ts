import { type DocumentKind, kindSpecs } from '../documents/registry';

export { kindSpecs };

/**
 * Words an approval request may never use about its own request: only an approver's click
 * decides, so "already approved", "signed off" or "needs no decision" is either an injection
 * the model obeyed or a guess. (A recommendation such as "Approve this" is allowed.)
 */
const DECISION_CLAIM =
  /\b(?:already|has been|have been|was|were|is|got)\s+(?:approved|rejected|signed off|declined)\b|\bapproved by\b|\bsigned off\b|\bno (?:decision|approval) (?:is )?(?:needed|required)\b|\bneeds no (?:decision|approval)\b/i;

/** Structural problems with a document: missing required sections, length overruns, decision claims. */
export function structuralProblems(kind: DocumentKind, document: { headline: string; sections: readonly { heading: string; body: string }[] }): string[] {
  const spec = kindSpecs[kind];
  const problems: string[] = [];
  for (const missing of missingSections(kind, document)) problems.push(`missing the required section "${missing}"`);
  const length = documentLength(document);
  if (length > spec.maxChars) problems.push(`${length} characters, over the ${spec.maxChars}-character limit for ${kind}`);
  if (kind === 'approval.request') {
    for (const [where, text] of [
      ['headline', document.headline] as const,
      ...document.sections.map((section, i) => [`sections[${i}].body`, section.body] as const),
    ]) {
      const claim = DECISION_CLAIM.exec(text);
      if (claim) problems.push(`"${claim[0]}" in ${where} claims the request is decided; only the approvers' buttons decide`);
    }
  }
  return problems;
}

/** Required headings the document lacks, in the required order. */
export function missingSections(kind: DocumentKind, document: { sections: readonly { heading: string }[] }): string[] {
  const headings = new Set(document.sections.map((section) => normaliseHeading(section.heading)));
  return kindSpecs[kind].requiredSections.filter((required) => !headings.has(normaliseHeading(required)));
}

export function documentLength(document: { headline: string; sections: readonly { heading: string; body: string }[] }): number {
  return document.headline.length + document.sections.reduce((sum, section) => sum + section.heading.length + section.body.length, 0);
}

function normaliseHeading(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
