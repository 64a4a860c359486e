import type { MessageMetadata } from '../ports/chat';

/** The Slack metadata event type on every message the outbox posts. */
export const DOCUMENT_EVENT_TYPE = 'exec_eng_lead_document';

/**
 * What identifies a post in Slack: the outbox document id and nothing else, since every
 * workspace member can read message metadata.
 */
export function documentMetadata(documentId: string): MessageMetadata {
  return { event_type: DOCUMENT_EVENT_TYPE, event_payload: { document_id: documentId } };
}
