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
    changelog: { id: `9${run.replace(/\D/g, '').slice(0, 4) || '1'}`, items: [{ field: 'status', fieldtype: 'jira', from: '3', fromString: 'In Review', to: '10100', toString: 'Awaiting VP Approval' }] },
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
    { source: 'lever', deliveryId: `lever-${run}-1`, body: JSON.stringify(lever('candidateStageChange', { ...candidate, fromStageId: 'stage-onsite', toStageId: 'stage-offer' })) },
    { source: 'lever', deliveryId: `lever-${run}-2`, body: JSON.stringify(lever('candidateHired', candidate)) },
  ];
}
