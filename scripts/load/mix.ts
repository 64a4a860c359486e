import { deliveryAndHiringScenario, greenhouseAndAshbyScenario } from '../../local/scenarios/delivery-and-hiring';
import { gitHubDeploymentScenario } from '../../local/scenarios/github-deployments';
import { pagerDutyIncidentScenario } from '../../local/scenarios/pagerduty-incident';
import type { ScenarioDelivery } from '../../local/scenarios/signers';

/** What a load run sends, and what Slack must show for it afterwards. */
export interface LoadPlan {
  /** In send order; a redelivery repeats an earlier delivery exactly (same id and body). */
  deliveries: LoadDelivery[];
  expected: {
    /** PagerDuty incident numbers: one brief each, with REPLIES_PER_INCIDENT replies in its thread. */
    incidents: number[];
    /** Jira issues moved to the approval status: one approval request each. */
    approvals: number;
  };
  counts: Record<string, number>;
}

export interface LoadDelivery extends ScenarioDelivery {
  redelivery: boolean;
}

/** The incident scenario's seven events: the brief, then one reply per later event. */
export const REPLIES_PER_INCIDENT = 6;

export interface MixOptions {
  total: number;
  /** Share of the total that repeats an earlier delivery (a sender's retry). */
  redeliveryShare?: number;
  seed?: number;
  now?: Date;
}

/**
 * A deterministic mix of signed-webhook traffic across sources, shaped like an organisation's
 * day: mostly Jira transitions and applicant-tracking moves, GitHub deployments and merged
 * pull requests, some PagerDuty incident
 * lifecycles (seven deliveries each), a few Jira approvals, and 30% redeliveries by default,
 * each sent after its original. Applicant-tracking moves here go to non-offer stages, so they
 * post nothing; every expected Slack message is counted in `expected`.
 */
export function buildLoadPlan(options: MixOptions): LoadPlan {
  const random = seeded(options.seed ?? 42);
  const now = options.now ?? new Date();
  const redeliveries = Math.round(options.total * (options.redeliveryShare ?? 0.3));
  const uniqueTotal = options.total - redeliveries;
  // About 10% of first deliveries are incident events, 5% Jira approvals.
  const incidentCount = Math.max(1, Math.round((uniqueTotal * 0.1) / 7));
  const approvalCount = Math.max(1, Math.round(uniqueTotal * 0.05));

  const incidents: number[] = [];
  const lifecycles: ScenarioDelivery[][] = [];
  for (let i = 0; i < incidentCount; i++) {
    const number = 7000 + i;
    incidents.push(number);
    lifecycles.push(pagerDutyIncidentScenario({ incidentId: `QLOAD${options.seed ?? 42}X${i}`, number, start: new Date(now.getTime() - 90 * 60_000) }));
  }
  const others: ScenarioDelivery[] = [];
  for (let i = 0; i < approvalCount; i++) others.push(jiraTransition(i, 'Awaiting VP Approval', now));
  const remaining = uniqueTotal - incidentCount * 7 - approvalCount;
  // GitHub (deployments and merged pull requests, a ping, a pending status) about a tenth.
  const github: ScenarioDelivery[] = [];
  for (let run = 0; github.length < Math.round(remaining * 0.1); run++)
    github.push(...gitHubDeploymentScenario({ run: `load${options.seed ?? 42}r${run}`, start: new Date(now.getTime() - 6 * 3_600_000) }));
  github.length = Math.round(remaining * 0.1);
  others.push(...github);
  for (let i = 0; i < remaining - github.length; i++) {
    const pick = i % 4;
    if (pick === 0 || pick === 1) others.push(jiraTransition(approvalCount + i, 'In Progress', now));
    else if (pick === 2) others.push(atsMove(i, now, 'greenhouse'));
    else others.push(atsMove(i, now, i % 8 === 3 ? 'lever' : 'ashby'));
  }

  // Interleave: other traffic shuffled, each incident's events in order but spread through it.
  const firsts = shuffle(others, random);
  for (const lifecycle of lifecycles) {
    let at = Math.floor(random() * firsts.length * 0.5);
    for (const delivery of lifecycle) {
      at = Math.min(firsts.length, at + 1 + Math.floor(random() * 12));
      firsts.splice(at, 0, delivery);
    }
  }
  const deliveries: LoadDelivery[] = firsts.map((d) => ({ ...d, redelivery: false }));
  for (let i = 0; i < redeliveries; i++) {
    const original = Math.floor(random() * firsts.length);
    const at = original + 1 + Math.floor(random() * (deliveries.length - original));
    deliveries.splice(Math.min(at, deliveries.length), 0, { ...(firsts[original] as ScenarioDelivery), redelivery: true });
  }
  const counts: Record<string, number> = {};
  for (const d of deliveries) counts[d.source] = (counts[d.source] ?? 0) + 1;
  return { deliveries, expected: { incidents, approvals: approvalCount }, counts };
}

export function jiraTransition(n: number, status: string, now: Date): ScenarioDelivery {
  const [jira] = deliveryAndHiringScenario(now);
  if (!jira) throw new Error('the delivery scenario no longer starts with a Jira delivery');
  const body = JSON.parse(jira.body) as {
    issue: { id: string; key: string; self: string; fields: { status: { name: string } } };
    changelog: { id: string; items: { toString: string }[] };
  };
  body.issue.id = String(600_000 + n);
  body.issue.key = `LOAD-${n}`;
  body.issue.self = `https://acme.atlassian.net/rest/api/2/issue/${body.issue.id}`;
  body.issue.fields.status.name = status;
  body.changelog.id = String(800_000 + n);
  for (const item of body.changelog.items) item.toString = status;
  return { source: 'jira', deliveryId: `load-jira-${n}-${body.changelog.id}`, body: JSON.stringify(body) };
}

/** A candidate moved to an interview stage (no offer, so no approval). */
export function atsMove(n: number, now: Date, source: 'greenhouse' | 'lever' | 'ashby'): ScenarioDelivery {
  if (source === 'lever') {
    const lever = deliveryAndHiringScenario(now)[1];
    if (!lever) throw new Error('the delivery scenario has no Lever move');
    const body = JSON.parse(lever.body) as { data: Record<string, unknown> };
    body.data.toStageId = 'stage-onsite';
    body.data.fromStageId = 'stage-screen';
    return { source, deliveryId: `load-lever-${n}-${lever.deliveryId}`, body: JSON.stringify(body) };
  }
  const [greenhouse, , ashby] = greenhouseAndAshbyScenario(now);
  if (!greenhouse || !ashby) throw new Error('the hiring scenario changed shape');
  if (source === 'greenhouse') return { ...greenhouse, deliveryId: `load-gh-${n}-${greenhouse.deliveryId}` };
  const body = JSON.parse(ashby.body) as { webhookActionId: string; data: { application: { currentInterviewStage: { title: string } } } };
  body.webhookActionId = `load-wa-${n}-${body.webhookActionId}`;
  body.data.application.currentInterviewStage.title = 'Technical Screen';
  return { source, deliveryId: `${body.webhookActionId}:candidateStageChange`, body: JSON.stringify(body) };
}

/** mulberry32: a small seeded generator, so a run's mix can be repeated. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
