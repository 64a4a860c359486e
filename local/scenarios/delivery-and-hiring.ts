import { randomUUID } from 'node:crypto';
import type { ScenarioDelivery } from './signers';

/**
 * A Jira budget request moved into the VP-approval status, and a Lever candidate moved to
 * the offer stage and hired. Contact details are included on purpose: the service must drop
 * them before anything is stored or posted.
 */
export function deliveryAndHiringScenario(now = new Date()): ScenarioDelivery[] {
  const run = randomUUID().slice(0, 8);
  const jira = {
    timestamp: now.getTime(),
    webhookEvent: 'jira:issue_updated',
    issue_event_type_name: 'issue_generic',
    user: { accountId: 'acc-dana', displayName: 'Dana Whitfield', emailAddress: 'dana@example.com' },
    issue: {
      id: `2${run.replace(/\D/g, '').slice(0, 4) || '1000'}`,
      self: 'https://acme.atlassian.net/rest/api/2/issue/20001',
      key: 'FIN-88',
      fields: {
        summary: 'Budget request: 3 additional GPU nodes for the search ranking team ($42,000/yr)',
        issuetype: { name: 'Budget Request' },
        project: { key: 'FIN', name: 'Engineering Finance' },
        status: { name: 'Awaiting VP Approval', statusCategory: { name: 'In Progress' } },
        priority: { name: 'High' },
        labels: ['budget', 'search'],
        assignee: { accountId: 'acc-sam', displayName: 'Sam Okafor', emailAddress: 'sam@example.com' },
        reporter: { accountId: 'acc-dana', displayName: 'Dana Whitfield', emailAddress: 'dana@example.com' },
      },
    },
    changelog: {
      id: `9${run.replace(/\D/g, '').slice(0, 4) || '1'}`,
      items: [{ field: 'status', fieldtype: 'jira', from: '3', fromString: 'In Review', to: '10100', toString: 'Awaiting VP Approval' }],
    },
  };
  const lever = (event: string, data: Record<string, unknown>) => ({ event, data });
  const candidate = {
    candidateId: `cand-${run}`,
    opportunityId: `opp-${run}`,
    contactId: `contact-${run}`,
    emails: ['jordan.lee@example.com'],
    phones: [{ value: '+1 555 010 4242' }],
    links: ['https://social.example/jordanlee'],
  };
  return [
    { source: 'jira', deliveryId: `jira-${run}-1`, body: JSON.stringify(jira) },
    {
      source: 'lever',
      deliveryId: `lever-${run}-1`,
      body: JSON.stringify(lever('candidateStageChange', { ...candidate, fromStageId: 'stage-onsite', toStageId: 'stage-offer' })),
    },
    { source: 'lever', deliveryId: `lever-${run}-2`, body: JSON.stringify(lever('candidateHired', candidate)) },
  ];
}

/**
 * A Greenhouse candidate moved to onsite and then to offer (Greenhouse never sends the
 * previous stage, so the service derives "Onsite Interview" for the second move), and an Ashby
 * candidate moved to offer with the offer created (the offer names only the application).
 * Contact details are included on purpose, as above.
 */
export function greenhouseAndAshbyScenario(now = new Date()): ScenarioDelivery[] {
  const run = randomUUID().slice(0, 8);
  const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000).toISOString();
  const job = {
    id: 107761,
    name: 'Staff Platform Engineer',
    departments: [{ id: 4007, name: 'Platform Engineering' }],
    hiring_team: {
      hiring_managers: [{ id: 51, name: 'Priya Manageros', email: 'priya.m@acme-corp.example' }],
      recruiters: [{ id: 92120, name: 'Devon Recruitwell', email: 'devon.r@acme-corp.example' }],
    },
  };
  const greenhouseMove = (stage: string, minutesAgo: number) => ({
    action: 'candidate_stage_change',
    payload: {
      application: {
        id: Number.parseInt(run.replace(/\D/g, '').slice(0, 6) || '4242', 10),
        candidate: {
          id: `gh-${run}`,
          first_name: 'Marisol',
          last_name: 'Quintero',
          email_addresses: [{ value: 'marisol.q@example.net', type: 'personal' }],
          phone_numbers: [{ value: '+1 415-555-0173', type: 'mobile' }],
          addresses: [{ value: '12 Example Street, Oakland', type: 'home' }],
        },
        current_stage: { id: stage.length, name: stage },
        updated_at: at(minutesAgo),
        jobs: [job],
      },
    },
  });
  const applicationId = `ash-app-${run}`;
  const ashbyStage = {
    action: 'candidateStageChange',
    webhookActionId: `wa-${run}-stage`,
    data: {
      application: {
        id: applicationId,
        updatedAt: at(20),
        candidate: {
          id: `ash-cand-${run}`,
          name: 'Tobias Nakamura',
          primaryEmailAddress: { value: 'tobias@example.com', type: 'Personal', isPrimary: true },
          primaryPhoneNumber: { value: '+44 20 7946 0958', type: 'Mobile', isPrimary: true },
          socialLinks: [{ type: 'LinkedIn', url: 'https://linkedin.example.com/in/tobias' }],
        },
        currentInterviewStage: { id: 'st-offer', title: 'Offer' },
        previousInterviewStage: { id: 'st-onsite', title: 'Onsite' },
        job: { id: 'job-9', title: 'Engineering Manager, Payments', departmentName: 'Payments' },
      },
    },
  };
  const ashbyOffer = {
    action: 'offerCreate',
    webhookActionId: `wa-${run}-offer`,
    data: { offer: { id: `of-${run}`, applicationId, offerStatus: 'WaitingOnApprovalStart', latestVersion: { createdAt: at(10) } } },
  };
  return [
    { source: 'greenhouse', deliveryId: `gh-${run}-1`, body: JSON.stringify(greenhouseMove('Onsite Interview', 120)) },
    { source: 'greenhouse', deliveryId: `gh-${run}-2`, body: JSON.stringify(greenhouseMove('Offer', 60)) },
    { source: 'ashby', deliveryId: `wa-${run}-stage`, body: JSON.stringify(ashbyStage) },
    { source: 'ashby', deliveryId: `wa-${run}-offer`, body: JSON.stringify(ashbyOffer) },
  ];
}
