import { describe, expect, it } from 'vitest';
import type { PendingApproval } from '../../functions/ports/approval-store';
import { loadWeeklyConfig } from '../../functions/weekly/weekly-config';
import { weeklyLines } from '../../functions/weekly/weekly-lines';
import { computeWeeklyMetrics } from '../../functions/weekly/weekly-metrics';

const TO = new Date('2026-11-27T20:00:00Z');

function pending(id: string, kind: string, subject: string, subjectId: string, hoursAgo: number): PendingApproval {
  return {
    id,
    triggerId: `${id}-trigger`,
    kind,
    subject,
    subjectId,
    deadline: TO.toISOString(),
    createdAt: new Date(TO.getTime() - hoursAgo * 3_600_000).toISOString(),
  };
}

describe('decisions in the weekly update (read by the E-staff and the CFO)', () => {
  const config = loadWeeklyConfig({ WEEKLY_ASK_KINDS: 'offer,budget request' });
  const approvals = [
    pending('a1', 'offer', 'Fictional Candidate · Staff Platform Engineer', 'greenhouse:app-1', 30),
    pending('a2', 'budget request', 'FIN-88', 'jira:FIN-88', 20),
    pending('a3', 'VP approval', 'Another Madeup · Engineering Manager', 'ashby:app-9', 10),
  ];
  const lines = weeklyLines(
    computeWeeklyMetrics({ items: [], changes: [], openIncidents: [], pendingApprovals: approvals }, TO, config),
    config.digest.timeZone,
  );
  const decisions = lines.decisions.join('\n');

  it('lists every waiting approval, oldest first, and names no candidate', () => {
    expect(lines.decisions).toContain('3 approvals waiting');
    expect(lines.decisions.filter((line) => line.startsWith('Waiting: '))).toEqual([
      'Waiting: an offer (offer), for 1 d 6 h',
      'Waiting: FIN-88 (budget request), for 20 h 00 min',
      'Waiting: an offer (VP approval), for 10 h 00 min',
    ]);
    expect(decisions).not.toContain('Fictional Candidate');
    expect(decisions).not.toContain('Another Madeup');
  });

  it('asks of the E-staff name the decision but not the candidate', () => {
    expect(decisions).toContain('Ask of the E-staff: a decision on an offer (offer)');
    expect(decisions).toContain('Ask of the E-staff: a decision on FIN-88 (budget request)');
  });
});
