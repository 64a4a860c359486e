import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CanonicalEvent } from '../core/canonical-event';
import type { ChangeStore } from '../ports/change-store';
import type { DigestRecord, DigestStore, TimeWindowRead } from '../ports/digest-store';
import type {
  CandidateErasure,
  ClaimResult,
  DeliveryRecord,
  DeliveryState,
  DeliveryStore,
  Enrich,
  HiringStore,
  IncidentBrief,
  IncidentRecord,
  IncidentStore,
  IssueStore,
  OpenIncident,
  RecordKey,
} from '../ports/store';
import type { DailySpend, TokenLedger } from '../ports/token-ledger';
import type { TokenUsage } from '../ports/writer';
import { DynamoChanges } from './dynamo-changes';
import { DynamoDeliveries } from './dynamo-deliveries';
import { DynamoDigests } from './dynamo-digests';
import { DynamoErasure } from './dynamo-erasure';
import { DynamoHistories } from './dynamo-histories';
import { DynamoIncidents } from './dynamo-incidents';
import { DynamoTokenLedger } from './dynamo-token-ledger';

export { truncateUtf8 } from './dynamo-records';

/**
 * The convenience for places that need several of the table's ports at once (a handler, the local
 * runtime, tests): each method delegates to the adapter of its aggregate, where the keys and the
 * IAM leading-key prefixes live (see docs/adr/0002-single-table.md for the table):
 * dynamo-deliveries.ts, dynamo-incidents.ts, dynamo-histories.ts (applications and Jira issues),
 * dynamo-changes.ts, dynamo-digests.ts, dynamo-token-ledger.ts and dynamo-erasure.ts.
 * Code that needs one port can construct that adapter alone.
 */
export class DynamoStore implements DeliveryStore, IncidentStore, HiringStore, IssueStore, CandidateErasure, TokenLedger, DigestStore, ChangeStore {
  readonly deliveries: DynamoDeliveries;
  readonly incidents: DynamoIncidents;
  readonly histories: DynamoHistories;
  readonly changes: DynamoChanges;
  readonly digests: DynamoDigests;
  readonly tokenLedger: DynamoTokenLedger;
  readonly erasure: DynamoErasure;

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    const table = { db, tableName };
    this.deliveries = new DynamoDeliveries(table);
    this.incidents = new DynamoIncidents(table);
    this.histories = new DynamoHistories(table);
    this.changes = new DynamoChanges(table);
    this.digests = new DynamoDigests(table);
    this.tokenLedger = new DynamoTokenLedger(table);
    this.erasure = new DynamoErasure(table);
  }

  recordDelivery(record: DeliveryRecord): Promise<DeliveryState> {
    return this.deliveries.recordDelivery(record);
  }

  markDeliveryPublished(source: string, deliveryId: string): Promise<void> {
    return this.deliveries.markDeliveryPublished(source, deliveryId);
  }

  appendIncidentEvent(incidentKey: string, event: CanonicalEvent): Promise<void> {
    return this.incidents.appendIncidentEvent(incidentKey, event);
  }

  loadIncident(incidentKey: string): Promise<IncidentRecord> {
    return this.incidents.loadIncident(incidentKey);
  }

  saveBrief(incidentKey: string, brief: IncidentBrief): Promise<IncidentBrief> {
    return this.incidents.saveBrief(incidentKey, brief);
  }

  trackOpenIncident(incidentKey: string, open: OpenIncident | undefined): Promise<void> {
    return this.incidents.trackOpenIncident(incidentKey, open);
  }

  openIncidents(): Promise<OpenIncident[]> {
    return this.incidents.openIncidents();
  }

  recordApplicationEvent(event: CanonicalEvent, expiresAt: Date, enrich?: Enrich): Promise<CanonicalEvent> {
    return this.histories.recordApplicationEvent(event, expiresAt, enrich);
  }

  recordIssueEvent(event: CanonicalEvent, expiresAt: Date, enrich?: Enrich, readByTime?: (recorded: CanonicalEvent) => boolean): Promise<CanonicalEvent> {
    return this.histories.recordIssueEvent(event, expiresAt, enrich, readByTime);
  }

  recordChangeEvent(event: CanonicalEvent, expiresAt: Date): Promise<void> {
    return this.changes.recordChangeEvent(event, expiresAt);
  }

  readChangeWindow(from: Date, to: Date): Promise<TimeWindowRead> {
    return this.changes.readChangeWindow(from, to);
  }

  readTimeWindow(from: Date, to: Date): Promise<TimeWindowRead> {
    return this.digests.readTimeWindow(from, to);
  }

  lastDigest(): Promise<{ id: string; to: string } | undefined> {
    return this.digests.lastDigest();
  }

  latestDigest(): Promise<{ id: string; to: string } | undefined> {
    return this.digests.latestDigest();
  }

  claimDigest(id: string, now: Date, leaseMs: number): Promise<ClaimResult> {
    return this.digests.claimDigest(id, now, leaseMs);
  }

  getDigest(id: string): Promise<DigestRecord | undefined> {
    return this.digests.getDigest(id);
  }

  saveDigest(record: DigestRecord, movesWindow: boolean): Promise<void> {
    return this.digests.saveDigest(record, movesWindow);
  }

  forgetCandidate(candidateKey: string): Promise<RecordKey[]> {
    return this.erasure.forgetCandidate(candidateKey);
  }

  spend(day: string): Promise<DailySpend> {
    return this.tokenLedger.spend(day);
  }

  record(day: string, usage: TokenUsage, estimatedCostUsd: number, calls: number): Promise<void> {
    return this.tokenLedger.record(day, usage, estimatedCostUsd, calls);
  }

  recordBudgetFallback(day: string): Promise<void> {
    return this.tokenLedger.recordBudgetFallback(day);
  }
}
