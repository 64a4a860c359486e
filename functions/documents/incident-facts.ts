import * as z from 'zod/mini';
import { fact } from './kind';

/**
 * What every incident document may say about its incident, computed from the timeline by
 * `incidentFacts` (durations and instants formatted by code, never by a writer).
 */
export const incidentFactsShape = {
  incident: fact.text,
  status: z.enum(['triggered', 'acknowledged', 'resolved']),
  priority: fact.maybeText,
  urgency: fact.maybeText,
  service: fact.maybeText,
  assignees: fact.list,
  escalationPolicy: fact.maybeText,
  teams: fact.list,
  triggeredAt: fact.maybeText,
  acknowledgedAt: fact.maybeText,
  acknowledgedBy: fact.maybeText,
  resolvedAt: fact.maybeText,
  resolvedBy: fact.maybeText,
  timeToAcknowledge: fact.maybeText,
  timeToResolve: fact.maybeText,
};

/** The event a thread reply is about, when there is one. */
export const changeFactsShape = {
  change: fact.optionalText,
  changedAt: fact.optionalText,
  changedBy: fact.optionalText,
};

export type IncidentFacts = z.output<z.ZodMiniObject<typeof incidentFactsShape>>;

/** `P1 incident #4211`. */
export function incidentLabelOf(f: Pick<IncidentFacts, 'priority' | 'incident'>): string {
  return [f.priority, 'incident', f.incident].filter(Boolean).join(' ');
}
