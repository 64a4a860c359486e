import type { z } from 'zod/mini';
import type { FactValue } from '../core/canonical-event';
import { approvalRequest } from './approval-request';
import { digest } from './digest';
import { escalation } from './escalation';
import { incidentBrief } from './incident-brief';
import { incidentClosing } from './incident-closing';
import { incidentUpdate } from './incident-update';
import { type DocumentKindModule, DocumentFactsError, type KindSpec, type Urgency } from './kind';

/**
 * Every document kind the writer knows, one line each. The kind list, the writer's specs, the
 * template writer and the outbox's kinds all come from here: adding a kind is one module in
 * this folder and one line below.
 */
export const documentKinds = [incidentBrief, incidentUpdate, incidentClosing, escalation, approvalRequest, digest] as const;

/**
 * Messages built whole by code (no writer, no facts schema) that the outbox also delivers,
 * with their delivery urgency.
 */
export const messageKinds = {
  'escalation.notice': 'immediate',
  'escalation.repeat': 'immediate',
  'escalation.storm': 'immediate',
  'approval.reminder': 'routine',
} as const satisfies Record<string, Urgency>;

type AnyKind = (typeof documentKinds)[number];
export type DocumentKind = AnyKind['kind'];
export type MessageKind = keyof typeof messageKinds;
/** Everything the outbox may carry. */
export type OutboxKind = DocumentKind | MessageKind;

export const DOCUMENT_KINDS: readonly DocumentKind[] = documentKinds.map((module) => module.kind);
export const OUTBOX_KINDS: readonly OutboxKind[] = [...DOCUMENT_KINDS, ...(Object.keys(messageKinds) as MessageKind[])];

type ModuleOf<K extends DocumentKind> = Extract<AnyKind, { kind: K }>;
/** The facts a producer must give for kind `K` (checked again at run time before writing). */
export type FactsOf<K extends DocumentKind> = z.input<ModuleOf<K>['facts']>;

const byKind = new Map<string, DocumentKindModule>(documentKinds.map((module) => [module.kind, module as unknown as DocumentKindModule]));

/** The module of a kind; throws for a kind the registry does not list. */
export function documentKind(kind: string): DocumentKindModule {
  const module = byKind.get(kind);
  if (!module) throw new Error(`Unknown document kind "${kind}"`);
  return module;
}

export function isDocumentKind(kind: string): kind is DocumentKind {
  return byKind.has(kind);
}

/** Each kind's spec, by kind. */
export const kindSpecs = Object.fromEntries(documentKinds.map((module) => [module.kind, module.spec])) as Record<DocumentKind, KindSpec>;

/** The default delivery urgency of anything the outbox carries; unknown kinds are routine. */
export function defaultUrgency(kind: string): Urgency {
  return byKind.get(kind)?.spec.urgency ?? (messageKinds as Record<string, Urgency>)[kind] ?? 'routine';
}

/**
 * Checks facts against their kind's schema and returns them as the schema reads them. A
 * missing or mistyped fact throws `DocumentFactsError` naming the kind and the field.
 */
export function validateFacts(kind: string, facts: unknown): Record<string, FactValue | undefined> {
  const result = documentKind(kind).facts.safeParse(facts);
  if (result.success) return result.data;
  throw new DocumentFactsError(
    kind,
    result.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(facts)'}: ${issue.message === 'Invalid input' ? describeIssue(issue) : issue.message}`),
  );
}

function describeIssue(issue: { code: string; expected?: unknown; input?: unknown }): string {
  if (issue.code === 'invalid_type') return issue.input === undefined ? `missing (expected ${String(issue.expected)})` : `expected ${String(issue.expected)}`;
  return issue.code.replace(/_/g, ' ');
}
