/**
 * The bus vocabulary and the routing table. CDK builds one EventBridge rule per route from
 * this table and the local bus dispatches with the same patterns, so a route exists in
 * exactly one place.
 */

/** `source` of every event that ingest puts on the bus. */
export const BUS_SOURCE = 'exec-eng-lead.ingest';

/** Workers that consume bus events; each has one Lambda in AWS and one handler locally. */
export type WorkerName = 'incident' | 'history' | 'approval' | 'escalation' | 'answer';

/** A question asked of the app in Slack (a mention or a direct message), published by `POST /slack/events`. */
export const QUESTION_ASKED = 'question.asked';
/** Someone opened the app's assistant pane in Slack. */
export const ASSISTANT_THREAD_STARTED = 'assistant.thread_started';

/** A subset of the EventBridge event-pattern language (see `event-pattern.ts`). */
export type EventPattern = { [key: string]: EventPattern | PatternValue[] };
export type PatternValue =
  string | number | boolean | null | { prefix: string } | { 'anything-but': (string | number)[] | string | number } | { exists: boolean };

export interface Route {
  /** Construct id of the rule in CDK, stable across deploys. */
  id: string;
  description: string;
  worker: WorkerName;
  pattern: EventPattern;
}

export const routes: readonly Route[] = [
  {
    id: 'IncidentEventsToIncidentWorker',
    description: 'Every incident lifecycle event drives the incident brief and its thread',
    worker: 'incident',
    pattern: { source: [BUS_SOURCE], 'detail-type': [{ prefix: 'incident.' }] },
  },
  {
    id: 'ApplicationEventsToHistoryWorker',
    description: 'Every applicant-tracking event is recorded on its application history',
    worker: 'history',
    pattern: { source: [BUS_SOURCE], 'detail-type': [{ prefix: 'candidate.' }] },
  },
  {
    id: 'IssueTransitionsToHistoryWorker',
    description: 'Every Jira status transition is recorded on its issue history (cycle time)',
    worker: 'history',
    pattern: { source: [BUS_SOURCE], 'detail-type': ['issue.transitioned'] },
  },
  {
    id: 'ChangeEventsToHistoryWorker',
    description: 'Every GitHub deployment status and merged pull request is recorded for DORA',
    worker: 'history',
    pattern: { source: [BUS_SOURCE], 'detail-type': [{ prefix: 'deployment.' }, 'pull_request.merged'] },
  },
  {
    id: 'TriggerEventsToApprovalWorker',
    description: 'Jira transitions and hiring stage changes may open or cancel an approval',
    worker: 'approval',
    pattern: { source: [BUS_SOURCE], 'detail-type': ['issue.transitioned', 'candidate.stage_changed'] },
  },
  {
    id: 'ApprovalEventsToApprovalWorker',
    description: 'Decisions, expiries, cancellations and refused clicks update the approval message',
    worker: 'approval',
    pattern: { source: [BUS_SOURCE], 'detail-type': [{ prefix: 'approval.' }] },
  },
  {
    id: 'IncidentEventsToEscalationWorker',
    description: 'Every incident event starts, moves or clears an escalation timer; incident.escalated escalates at once',
    worker: 'escalation',
    pattern: { source: [BUS_SOURCE], 'detail-type': [{ prefix: 'incident.' }] },
  },
  {
    id: 'ApprovalExpiriesToEscalationWorker',
    description: 'An approval that expired undecided is escalated to the escalation channel too',
    worker: 'escalation',
    pattern: { source: [BUS_SOURCE], 'detail-type': ['approval.expired'] },
  },
  {
    id: 'QuestionsToAnswerWorker',
    description: 'Questions asked in Slack and assistant panes opened are answered by the answer worker',
    worker: 'answer',
    pattern: { source: [BUS_SOURCE], 'detail-type': [QUESTION_ASKED, ASSISTANT_THREAD_STARTED] },
  },
];
