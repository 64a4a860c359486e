import type * as z from 'zod/mini';
import type { FactValue } from '../core/canonical-event';
import { answer } from './answer';
import { approvalRequest } from './approval-request';
import { digest } from './digest';
import { escalation } from './escalation';
import { incidentBrief } from './incident-brief';
import { incidentClosing } from './incident-closing';
import { incidentRollup } from './incident-rollup';
import { incidentUpdate } from './incident-update';
import { weekly } from './weekly';
import { type DocumentKindModule, DocumentFactsError, type KindSpec, type Urgency } from './kind';

/**
 * Every document kind the writer knows, one line each. The kind list, the writer's specs, the
 * template writer and the outbox's kinds all come from here: adding a kind is one module in
 * this folder and one line below.
 */
export const documentKinds = [incidentBrief, incidentUpdate, incidentClosing, incidentRollup, escalation, approvalRequest, digest, weekly, answer] as const;

/**
 * Messages built whole by code (no writer, no facts schema) that the outbox also delivers,
 * with their delivery urgency.
 */
export const messageKinds = {
  'escalation.notice': 'immediate',
  'escalation.repeat': 'immediate',
  'escalation.storm': 'immediate',
  'approval.reminder': 'routine',
  'incident.rollup.update': 'reply',
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

/** Lookups over a list of kinds: the default registry below, or a test's list with a made-up kind. */
export interface DocumentRegistry {
  kinds: readonly string[];
  /** The module of a kind; throws for a kind the list does not hold. */
  get(kind: string): DocumentKindModule;
  has(kind: string): boolean;
  /**
   * Checks facts against their kind's schema and returns them as the schema reads them. A
   * missing or mistyped fact throws `DocumentFactsError` naming the kind and the field.
   */
  validateFacts(kind: string, facts: unknown): Record<string, FactValue | undefined>;
  /** The default delivery urgency of anything the outbox carries; unknown kinds are routine. */
  defaultUrgency(kind: string): Urgency;
}

export function createDocumentRegistry(modules: readonly DocumentKindModule[], messages: Readonly<Record<string, Urgency>> = messageKinds): DocumentRegistry {
  const byKind = new Map(modules.map((module) => [module.kind, module]));
  const get = (kind: string): DocumentKindModule => {
    const module = byKind.get(kind);
    if (!module) throw new Error(`Unknown document kind "${kind}"`);
    return module;
  };
  return {
    kinds: modules.map((module) => module.kind),
    get,
    has: (kind) => byKind.has(kind),
    validateFacts: (kind, facts) => {
      const result = get(kind).facts.safeParse(facts);
      if (result.success) return result.data;
      throw new DocumentFactsError(
        kind,
        result.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(facts)'}: ${describeIssue(issue, valueAt(facts, issue.path))}`),
      );
    },
    defaultUrgency: (kind) => byKind.get(kind)?.spec.urgency ?? messages[kind] ?? 'routine',
  };
}

/** The registry of every kind above. */
export const documents = createDocumentRegistry(documentKinds as unknown as readonly DocumentKindModule[]);

/** The module of a kind; throws for a kind the registry does not list. */
export const documentKind = documents.get;
export const validateFacts = documents.validateFacts;
export const defaultUrgency = documents.defaultUrgency;

export function isDocumentKind(kind: string): kind is DocumentKind {
  return documents.has(kind);
}

/** Each kind's spec, by kind. */
export const kindSpecs = Object.fromEntries(documentKinds.map((module) => [module.kind, module.spec])) as Record<DocumentKind, KindSpec>;

function describeIssue(issue: { code: string; message: string; expected?: unknown }, value: unknown): string {
  if (issue.code === 'invalid_type') return value === undefined ? `missing (expected ${String(issue.expected)})` : `expected ${String(issue.expected)}`;
  return issue.message === 'Invalid input' ? issue.code.replace(/_/g, ' ') : issue.message;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined), root);
}
