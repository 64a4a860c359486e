import type { CanonicalEvent } from '../core/canonical-event';
import type { WrittenDocument } from './writer';

/**
 * Outcome of recording a webhook delivery for de-duplication: `new` for the first writer;
 * `unconfirmed` when the record exists but no request has confirmed its events reached the
 * bus (the first attempt's publish failed, it crashed, or it succeeded and said nothing, which
 * is the happy path: see docs/adr/0013-one-write-ingest.md); `published` once confirmed.
 */
export type DeliveryState = 'new' | 'unconfirmed' | 'published';

export interface DeliveryRecord {
  source: string;
  deliveryId: string;
  events: readonly CanonicalEvent[];
  /**
   * The body (redacted where the source says so), kept only when the events on the bus are a
   * partial copy of it (a fact was clipped); the adapter truncates it to fit an item. Omitted
   * otherwise, so the record stays under 1 KB: one write unit per webhook.
   */
  rawBody?: string;
  receivedAt: Date;
  /** When the record may be deleted (DynamoDB TTL). */
  expiresAt: Date;
}

/** Idempotent record of webhook deliveries: the ingest's de-duplication and its at-least-once guarantee. */
export interface DeliveryStore {
  /**
   * Writes the delivery unless it exists. Returns `new` for the first writer, otherwise the
   * state of the existing record: `unconfirmed` means this request must publish its events
   * (again, perhaps: workers de-duplicate by event id) and then confirm them.
   */
  recordDelivery(record: DeliveryRecord): Promise<DeliveryState>;
  /** Records that a redelivery republished the events, so later redeliveries publish nothing. */
  markDeliveryPublished(source: string, deliveryId: string): Promise<void>;
}

/** An incident's brief as the incident record knows it: its outbox id and the document, for re-rendering. */
export interface IncidentBrief {
  documentId: string;
  document: WrittenDocument;
}

export interface TimelineEntry {
  event: CanonicalEvent;
}

export interface IncidentRecord {
  /** The top-level brief; one per incident (delivered, or pending, in the outbox). */
  brief?: IncidentBrief;
  /** Ordered by occurrence, then event id. */
  timeline: TimelineEntry[];
}

/** Result of trying to take the right to post: exactly one worker holds it at a time. */
export type ClaimResult = 'claimed' | 'held-by-another' | 'already-posted';

/** Incident timelines and the messages posted about them. */
export interface IncidentStore {
  /** Adds the event to the incident's timeline; a duplicate event id is a no-op. */
  appendIncidentEvent(incidentKey: string, event: CanonicalEvent): Promise<void>;
  loadIncident(incidentKey: string): Promise<IncidentRecord>;
  /** Records the incident's brief unless one is recorded; returns the one that stands. */
  saveBrief(incidentKey: string, brief: IncidentBrief): Promise<IncidentBrief>;
  /** Keeps the index of open incidents current: `open` while unresolved, removed once resolved. */
  trackOpenIncident(incidentKey: string, open: OpenIncident | undefined): Promise<void>;
  /** Every incident open now (the digest's "open now" and the downtime of long-running ones). */
  openIncidents(): Promise<OpenIncident[]>;
}

/** What the digest needs about an incident that is still open. */
export interface OpenIncident {
  key: string;
  id: string;
  title: string;
  priority: string | null;
  service: string | null;
  triggeredAt: string | null;
  acknowledgedAt: string | null;
  assignees: string[];
}

/** Derives facts for an event from the events recorded before it on the same history (domain logic, not storage). */
export type Enrich = (event: CanonicalEvent, earlier: readonly CanonicalEvent[]) => CanonicalEvent;

/** Applicant-tracking history, one partition per application. */
export interface HiringStore {
  /**
   * Adds the event, as `enrich` completes it, to its application's history (a repeated event id
   * is a no-op) and returns it as recorded. Records carry the candidate key for erasure and
   * expire at `expiresAt`.
   */
  recordApplicationEvent(event: CanonicalEvent, expiresAt: Date, enrich?: Enrich): Promise<CanonicalEvent>;
}

/** Jira issue history, one partition per issue: where cycle time comes from. */
export interface IssueStore {
  /**
   * As `recordApplicationEvent`, one partition per issue. `readByTime` says whether the recorded
   * event goes on the time index too (what the digest and weekly update read); by default it does.
   */
  recordIssueEvent(event: CanonicalEvent, expiresAt: Date, enrich?: Enrich, readByTime?: (recorded: CanonicalEvent) => boolean): Promise<CanonicalEvent>;
}

export interface RecordKey {
  pk: string;
  sk: string;
}

/** A GDPR erasure: every record that names one candidate. */
export interface CandidateErasure {
  /** Deletes every record about `<source>:<candidateId>` and returns their keys. */
  forgetCandidate(candidateKey: string): Promise<RecordKey[]>;
}
