import { describe, expect, it } from 'vitest';
// Only the config loaders: nothing else here may set zod's messages for them.
import { loadApprovalConfig } from '../../functions/approvals/approval-config';
import { loadWeeklyConfig } from '../../functions/weekly/weekly-config';

/** Settings errors say what was expected, as full zod's did, not zod/mini's bare "Invalid input". */
describe('settings errors name the field and what it expects', () => {
  it('APPROVALS_CONFIG', () => {
    expect(() => loadApprovalConfig({ APPROVALS_CONFIG: '{"triggers":[{"id":1}]}' })).toThrow(
      "APPROVALS_CONFIG is invalid: triggers.0.source: Invalid discriminator value. Expected 'jira' | 'hiring'",
    );
  });

  it('a weekly JSON variable', () => {
    expect(() => loadWeeklyConfig({ INVESTMENT_TARGETS: '{"tech debt":"lots"}' })).toThrow(
      /^INVESTMENT_TARGETS\.tech debt: Invalid input: expected number, received string; expected e\.g\./,
    );
  });
});
