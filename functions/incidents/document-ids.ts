import { documentId } from '../core/document-id';

/** The outbox id of an incident's brief: its replies (and escalation notices) are posted in its thread. */
export function incidentBriefId(incidentKey: string): string {
  return documentId('incident', incidentKey, 'brief');
}

/** The outbox id of the thread reply (or closing brief) one event produced. */
export function incidentReplyId(incidentKey: string, eventId: string): string {
  return documentId('incident', incidentKey, 'reply', eventId);
}
