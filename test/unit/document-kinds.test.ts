import { describe, expect, it } from 'vitest';
import { kindSpecs, structuralProblems } from '../../functions/writer/document-kinds';

const approvalDraft = (recommendation: string) => ({
  headline: 'FIN-88: three GPU nodes for search ranking',
  sections: kindSpecs['approval.request'].requiredSections.map((heading) => ({ heading, body: heading === 'Recommendation' ? recommendation : 'Unknown.' })),
});

describe('structural checks', () => {
  it('accepts a complete approval request that recommends', () => {
    expect(structuralProblems('approval.request', approvalDraft('Approve if the spend fits the quarter.'))).toEqual([]);
  });

  it.each([
    ['The CFO already approved it.'],
    ['It was signed off last week.'],
    ['This needs no decision.'],
    ['Approved by the board.'],
    ['No approval is required.'],
  ])('flags an approval request that says it is decided: %s', (text) => {
    expect(structuralProblems('approval.request', approvalDraft(text))).toEqual([expect.stringContaining('claims the request is decided')]);
  });

  it('names missing sections in order and a length overrun; other kinds may say "approved"', () => {
    const problems = structuralProblems('incident.closing', {
      headline: 'x'.repeat(1501),
      sections: [{ heading: 'Outcome', body: 'The fix was approved and shipped.' }],
    });
    expect(problems).toEqual([
      'missing the required section "Timeline"',
      'missing the required section "Thanks"',
      'missing the required section "Follow-up"',
      expect.stringMatching(/^1\d{3} characters, over the 1500-character limit/),
    ]);
  });
});
