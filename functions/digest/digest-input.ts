import type { AuditEntry } from '../approvals/approval';
import { nameKey, sameName } from '../core/text';
import type { CanonicalEvent } from '../core/canonical-event';
import { foldIncident } from '../incidents/incident-state';
import type { PendingApproval } from '../ports/approval-store';
import type { OpenIncident } from '../ports/store';
import { enteredAnyStatus } from '../history/time-indexed';
import type { DigestSettings } from './digest-config';
import type { DoraChange, DoraDeployment, DoraInput } from './dora';
import type { ApprovalSnapshot, DeploymentRecord, DigestInput, IncidentSummary, IssueDone, StageMove } from './metrics';

export interface Window {
  from: Date;
  to: Date;
}

export interface DigestSources {
  /** Items from `byTime` covering the period, the previous period and the month so far. */
  items: Record<string, unknown>[];
  openIncidents: OpenIncident[];
  pendingApprovals: PendingApproval[];
  /** Change records (GitHub deployments, merged pull requests) from their own buckets, over the DORA read window. */
  changes?: Record<string, unknown>[];
}

const within = (instant: string, window: Window) => {
  const at = Date.parse(instant);
  return at >= window.from.getTime() && at < window.to.getTime();
};

/**
 * Turns stored records into the metric inputs. Every record here was read through the time
 * index for a bounded window (plus the two small "open now" indexes), so the cost follows the
 * window, not the size of the history.
 */
export function buildDigestInput(sources: DigestSources, window: { period: Window; previousPeriod: Window; now: Date }, config: DigestSettings): DigestInput {
  const events = (kind: string) => sources.items.filter((item) => item.kind === kind).map((item) => item.event as CanonicalEvent);
  const incidents = incidentSummaries(sources.items, sources.openIncidents, config);
  const issueEvents = events('issue-event');
  // One delivery per issue per period, even if it was reopened and done again.
  const done = issueEvents.filter((event) => event.facts.done === true);
  const distinct = (list: CanonicalEvent[]) => [...new Map(list.map((event) => [event.subject.id, event])).values()];
  return {
    period: window.period,
    previousPeriod: window.previousPeriod,
    now: window.now,
    timeZone: config.timeZone,
    incidents,
    issuesDone: distinct(done.filter((event) => within(event.occurredAt, window.period))).map(issueDone),
    previousIssuesDone: distinct(done.filter((event) => within(event.occurredAt, window.previousPeriod))).map(issueDone),
    ...(config.deployedStatuses.length > 0 || config.deployedIssueTypes.length > 0
      ? { deployments: { inPeriod: deployments(issueEvents, incidents, window.period, config), attributionWindowHours: config.attributionWindowHours } }
      : {}),
    approvals: approvalSnapshot(sources, window.period),
    hiring: events('application-event')
      .filter((event) => within(event.occurredAt, window.period))
      .map(stageMove),
    dora: doraInput(sources.changes ?? [], incidents, window, config),
    slo: { target: config.sloTarget, allServices: config.customerFacingServices.length === 0 },
    ...(config.briefMinRank !== undefined ? { briefMinRank: config.briefMinRank } : {}),
  };
}

function incidentSummaries(items: Record<string, unknown>[], open: OpenIncident[], config: DigestSettings): IncidentSummary[] {
  const byIncident = new Map<string, CanonicalEvent[]>();
  for (const item of items) {
    if (item.kind !== 'incident-event') continue;
    const key = String(item.pk);
    byIncident.set(key, [...(byIncident.get(key) ?? []), item.event as CanonicalEvent]);
  }
  // With no customer-facing service configured every service counts: an outage is never left out
  // because nobody listed its service (the availability line says so).
  const configured = config.customerFacingServices.map(nameKey);
  const customerFacing = (service: string | null | undefined) => configured.length === 0 || (!!service && configured.includes(nameKey(service)));
  const summaries: IncidentSummary[] = [];
  for (const [, events] of byIncident) {
    const state = foldIncident(events);
    const triggeredAt = state.triggeredAt ?? events[0]?.occurredAt;
    if (!triggeredAt) continue;
    summaries.push({
      id: state.id,
      key: state.key ?? state.id,
      title: state.title,
      priority: state.priority ?? null,
      service: state.service ?? null,
      customerFacing: customerFacing(state.service),
      triggeredAt,
      ...(state.acknowledgedAt ? { acknowledgedAt: state.acknowledgedAt } : {}),
      ...(state.resolvedAt ? { resolvedAt: state.resolvedAt } : {}),
      responders: [...new Set([...state.assignees, state.acknowledgedBy, state.resolvedBy].filter((name): name is string => !!name))],
      ...(state.url ? { url: state.url } : {}),
      ...(state.priorityHistory ? { priorityHistory: state.priorityHistory } : {}),
    });
  }
  // Incidents open now that the window did not see (triggered before it) still count as open and as downtime.
  const seen = new Set(summaries.map((summary) => summary.id));
  for (const incident of open) {
    if (seen.has(incident.id) || !incident.triggeredAt) continue;
    summaries.push({
      id: incident.id,
      key: incident.key.split('#').at(-1) ?? incident.key,
      title: incident.title,
      priority: incident.priority,
      service: incident.service,
      customerFacing: customerFacing(incident.service),
      triggeredAt: incident.triggeredAt,
      ...(incident.acknowledgedAt ? { acknowledgedAt: incident.acknowledgedAt } : {}),
      responders: incident.assignees,
    });
  }
  return summaries;
}

function issueDone(event: CanonicalEvent): IssueDone {
  const f = event.facts;
  return {
    key: event.subject.key ?? event.subject.id,
    title: event.subject.title,
    project: typeof f.projectKey === 'string' ? f.projectKey : '',
    issueType: typeof f.issueType === 'string' ? f.issueType : null,
    doneAt: new Date(event.occurredAt).toISOString(),
    ...(typeof f.firstInProgressAt === 'string' ? { firstInProgressAt: f.firstInProgressAt } : {}),
    assignee: typeof f.assignee === 'string' ? f.assignee : null,
  };
}

/**
 * A deployment is a transition into a configured "deployed" status (or of a configured issue
 * type into Done). It caused an incident when the incident was triggered within the
 * attribution window after it and its title names the deployment's issue key.
 */
function deployments(issueEvents: CanonicalEvent[], incidents: IncidentSummary[], period: Window, config: DigestSettings): DeploymentRecord[] {
  const windowMs = config.attributionWindowHours * 3_600_000;
  return issueEvents
    .filter((event) => within(event.occurredAt, period))
    .filter((event) => {
      const type = typeof event.facts.issueType === 'string' ? event.facts.issueType : '';
      return enteredAnyStatus(event, config.deployedStatuses) || (event.facts.done === true && config.deployedIssueTypes.some((t) => sameName(t, type)));
    })
    .map((event) => {
      const key = event.subject.key ?? event.subject.id;
      const at = Date.parse(event.occurredAt);
      // The key as a whole word: PAY-12 must not match PAY-123.
      const names = new RegExp(`(^|[^A-Za-z0-9-])${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![0-9A-Za-z])`);
      const caused = incidents.filter((incident) => {
        const started = Date.parse(incident.triggeredAt);
        return started >= at && started - at <= windowMs && names.test(incident.title);
      });
      return { key, deployedAt: new Date(at).toISOString(), causedIncidents: caused.map((incident) => incident.key) };
    });
}

function approvalSnapshot(sources: DigestSources, period: Window): ApprovalSnapshot {
  const decided: ApprovalSnapshot['decidedInPeriod'] = [];
  for (const item of sources.items) {
    if (item.kind !== 'approval-audit') continue;
    const entry = item.entry as AuditEntry;
    if (entry.outcome !== 'applied' || entry.toStatus === 'pending' || !within(entry.at, period)) continue;
    decided.push({
      id: String(item.approvalId),
      kind: String(item.approvalKind ?? ''),
      subject: String(item.subject ?? item.approvalId),
      status: entry.toStatus,
      decidedAt: entry.at,
      decidedBy: entry.actor === 'system' ? null : entry.actor,
    });
  }
  return {
    pending: sources.pendingApprovals.map((p) => ({ id: p.id, kind: p.kind, subject: p.subject, createdAt: p.createdAt })),
    decidedInPeriod: decided,
  };
}

function stageMove(event: CanonicalEvent): StageMove {
  const f = event.facts;
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    applicationId: event.subject.id,
    job: text(f.job),
    type: event.type,
    toStage: text(f.toStage),
    fromStage: text(f.fromStage),
    at: new Date(event.occurredAt).toISOString(),
    ...(typeof f.timeInPreviousStageMs === 'number' ? { timeInPreviousStageMs: f.timeInPreviousStageMs } : {}),
    offerStatus: text(f.offerStatus),
  };
}

/**
 * DORA's inputs: every deployment status and merged pull request read (the read reaches back
 * far enough to map earlier merges to the period's deployments), and the incidents of the main
 * read, each with every priority it has had.
 */
function doraInput(
  items: Record<string, unknown>[],
  incidents: IncidentSummary[],
  window: { period: Window; previousPeriod: Window },
  config: DigestSettings,
): DoraInput {
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  const deployments: DoraDeployment[] = [];
  const changes: DoraChange[] = [];
  for (const item of items) {
    if (item.kind !== 'change-event') continue;
    const event = item.event as CanonicalEvent;
    const f = event.facts;
    const repository = text(f.repository);
    if (!repository) continue;
    if (event.type === 'deployment.succeeded' || event.type === 'deployment.failed') {
      deployments.push({
        id: event.subject.id,
        repository,
        environment: text(f.environment) ?? '',
        productionEnvironment: typeof f.productionEnvironment === 'boolean' ? f.productionEnvironment : null,
        state: event.type === 'deployment.succeeded' ? 'success' : 'failure',
        at: event.occurredAt,
        ref: text(f.ref),
        description: text(f.description),
      });
    } else if (event.type === 'pull_request.merged') {
      const openedAt = text(f.openedAt);
      if (!openedAt) continue;
      changes.push({
        id: event.subject.id,
        repository,
        firstCommitAt: text(f.firstCommitAt),
        openedAt,
        mergedAt: text(f.mergedAt) ?? event.occurredAt,
        title: event.subject.title,
        branch: text(f.headRef),
        marked: f.bodyMarksRework === true,
      });
    }
  }
  return {
    period: window.period,
    previousPeriod: window.previousPeriod,
    deployments,
    changes,
    incidents: incidents.map((incident) => ({
      key: incident.key,
      service: incident.service,
      triggeredAt: incident.triggeredAt,
      ...(incident.resolvedAt ? { resolvedAt: incident.resolvedAt } : {}),
      priorities: [...(incident.priorityHistory ?? []).map((change) => change.priority), ...(incident.priority ? [incident.priority] : [])],
    })),
    productionEnvironments: config.productionEnvironments,
    serviceRepositories: config.serviceRepositories,
    attributionWindowHours: config.attributionWindowHours,
  };
}
