import type { IncidentFacts } from '../../functions/documents/incident-facts';

/** A complete set of incident facts (as `incidentFacts` builds them) with the given ones on top. */
export function incidentFactsWith<T extends Partial<IncidentFacts> & Record<string, unknown>>(facts: T): IncidentFacts & T {
  return {
    incident: '#4211',
    status: 'triggered',
    priority: null,
    urgency: null,
    service: null,
    assignees: [],
    escalationPolicy: null,
    teams: [],
    triggeredAt: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    timeToAcknowledge: null,
    timeToResolve: null,
    ...facts,
  };
}
