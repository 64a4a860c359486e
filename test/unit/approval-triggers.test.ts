import { describe, expect, it } from 'vitest';
import { type Approval, matchTriggers, refusal } from '../../functions/approvals/approval';
import type { ApprovalTrigger } from '../../functions/approvals/approval-config';
import type { CanonicalEvent } from '../../functions/core/canonical-event';

const event = (source: string, type: string, kind: string, facts: CanonicalEvent['facts']): CanonicalEvent => ({
  id: `${source}:1`,
  source,
  type,
  occurredAt: '2026-11-24T09:00:00Z',
  deliveryId: 'd1',
  subject: { kind, id: `${source}:subject-1`, title: 'A subject' },
  actors: [],
  links: [],
  facts,
});
const jira = (fromStatus: string, toStatus: string, extra: CanonicalEvent['facts'] = {}) =>
  event('jira', 'issue.transitioned', 'issue', { fromStatus, toStatus, projectKey: 'FIN', issueType: 'Budget Request', ...extra });
const stage = (fromStage: string | null, toStage: string) => event('greenhouse', 'candidate.stage_changed', 'application', { fromStage, toStage });

const vp: ApprovalTrigger = { id: 'vp', source: 'jira', status: 'Awaiting VP Approval', label: 'VP approval' };
const budget: ApprovalTrigger = { id: 'budget', source: 'jira', status: 'Budget Review', label: 'budget request', projects: ['FIN'] };
const offer: ApprovalTrigger = { id: 'offer', source: 'hiring', stageContains: 'Offer', label: 'offer' };
const actions = (e: CanonicalEvent, triggers: ApprovalTrigger[]) => matchTriggers(e, triggers).map((m) => `${m.action}:${m.trigger.id}`);

describe('approval triggers', () => {
  it('opens on entering the status and cancels on leaving it, case-insensitively', () => {
    expect(actions(jira('In Review', 'awaiting vp approval'), [vp])).toEqual(['open:vp']);
    expect(actions(jira('Awaiting VP Approval', 'In Progress'), [vp])).toEqual(['cancel:vp']);
    expect(actions(jira('In Review', 'In Progress'), [vp])).toEqual([]);
  });

  it('one transition can cancel one trigger and open another, in either configuration order', () => {
    const moved = jira('Budget Review', 'Awaiting VP Approval');
    expect(actions(moved, [vp, budget]).sort()).toEqual(['cancel:budget', 'open:vp']);
    expect(actions(moved, [budget, vp]).sort()).toEqual(['cancel:budget', 'open:vp']);
  });

  it('honours project and issue-type filters', () => {
    expect(actions(jira('To Do', 'Budget Review', { projectKey: 'OPS' }), [budget])).toEqual([]);
    const typed: ApprovalTrigger = { ...vp, id: 'prod-change', issueTypes: ['Production Change'] };
    expect(actions(jira('To Do', 'Awaiting VP Approval'), [typed])).toEqual([]);
    expect(actions(jira('To Do', 'Awaiting VP Approval', { issueType: 'production change' }), [typed])).toEqual(['open:prod-change']);
  });

  it('opens an offer approval when a candidate enters an offer stage, not again from Offer to Offer Accepted', () => {
    expect(actions(stage('Onsite', 'Offer'), [offer])).toEqual(['open:offer']);
    expect(actions(stage(null, 'Verbal offer'), [offer])).toEqual(['open:offer']);
    expect(actions(stage('Offer', 'Offer Accepted'), [offer])).toEqual([]);
    expect(actions(jira('Offer', 'Offer Made'), [offer])).toEqual([]);
  });
});

describe('who may decide', () => {
  const approval = { approvers: ['U0VP'], status: 'pending', deadline: '2026-11-26T09:00:00Z' } as Approval;
  it('refuses non-approvers, decided approvals and clicks after the deadline', () => {
    const before = new Date('2026-11-25T09:00:00Z');
    expect(refusal(approval, 'U0VP', before)).toBeUndefined();
    expect(refusal(approval, 'U0OTHER', before)).toBe('not_an_approver');
    expect(refusal({ ...approval, status: 'approved' }, 'U0VP', before)).toBe('already_approved');
    expect(refusal(approval, 'U0VP', new Date('2026-11-26T09:00:00Z'))).toBe('past_deadline');
  });
});
