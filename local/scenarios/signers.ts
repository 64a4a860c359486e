import { signAshbyBody } from '../../functions/sources/ashby/verify';
import { signGitHubBody } from '../../functions/sources/github/verify';
import { signGreenhouseBody } from '../../functions/sources/greenhouse/verify';
import { signJiraBody } from '../../functions/sources/jira/verify';
import { signLeverPayload } from '../../functions/sources/lever/verify';
import { signPagerDutyBody } from '../../functions/sources/pagerduty/verify';

/** One webhook delivery as its vendor would send it, before signing. */
export interface ScenarioDelivery {
  source: string;
  deliveryId: string;
  body: string;
  /** The vendor's event name, for vendors that send it in a header (GitHub's `X-GitHub-Event`). */
  event?: string;
}

export interface SignedDelivery {
  headers: Record<string, string>;
  body: string;
}

type Signer = (delivery: ScenarioDelivery, secret: string, now: Date) => SignedDelivery;

/** How each vendor signs a delivery, per its documented scheme (used by the demo, bench and tests). */
export const signers: Record<string, Signer> = {
  pagerduty: (d, secret) => ({
    headers: { 'x-webhook-id': d.deliveryId, 'x-pagerduty-signature': signPagerDutyBody(d.body, [secret]) },
    body: d.body,
  }),
  jira: (d, secret) => ({
    headers: { 'x-atlassian-webhook-identifier': d.deliveryId, 'x-hub-signature': signJiraBody(d.body, secret) },
    body: d.body,
  }),
  greenhouse: (d, secret) => ({
    headers: { 'greenhouse-event-id': d.deliveryId, signature: signGreenhouseBody(d.body, secret) },
    body: d.body,
  }),
  github: (d, secret) => ({
    headers: { 'x-github-delivery': d.deliveryId, 'x-github-event': d.event ?? '', 'x-hub-signature-256': signGitHubBody(d.body, secret) },
    body: d.body,
  }),
  // Ashby has no delivery header: de-duplication uses the body's webhookActionId plus action.
  ashby: (d, secret) => ({ headers: { 'ashby-signature': signAshbyBody(d.body, secret) }, body: d.body }),
  // Lever signs inside the body (token + triggeredAt), so the body is rebuilt at send time.
  lever: (d, secret, now) => {
    const unsigned = JSON.parse(d.body) as { event: string; data: Record<string, unknown> };
    return { headers: {}, body: JSON.stringify(signLeverPayload({ ...unsigned, token: d.deliveryId }, secret, now)) };
  },
};
