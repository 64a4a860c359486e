import type { Actor, CanonicalEvent, FactValue, Link } from '../../core/canonical-event';
import { safeHttpUrl } from '../../core/safe-url';
import { stripPersonalData } from '../../core/personal-data';
import { parseOrExplain } from '../schema-error';
import { type Normalized, PayloadInvalidError } from '../types';
import { type JiraChangelogItem, type JiraEnvelope, jiraEnvelopeSchema, jiraEventTypeSchema } from './schema';

/** Jira webhook events that become canonical events. */
export const handledJiraWebhookEvents = ['jira:issue_created', 'jira:issue_updated'] as const;

const handled = new Set<string>(handledJiraWebhookEvents);
const DESCRIPTION_EXCERPT_CHARS = 500;

/**
 * Maps a Jira issue webhook to one canonical event:
 * - `jira:issue_created` → `issue.created`;
 * - `jira:issue_updated` whose changelog has a `status` item → `issue.transitioned`
 *   (detected from the changelog, never from `issue_event_type_name`);
 * - any other update → `issue.updated` with `facts.changedFields` (metrics only; no worker).
 * Other event types are ignored with a reason. Description and comments are never copied;
 * at most a 500-character `descriptionExcerpt`.
 */
export function normalizeJiraEvent(payload: unknown, deliveryId: string): Normalized {
  const { webhookEvent } = parseOrExplain(jiraEventTypeSchema, payload, '');
  if (!handled.has(webhookEvent)) {
    return { ignored: true, reason: `Jira event ${webhookEvent} is not used by this service` };
  }
  const envelope = parseOrExplain(jiraEnvelopeSchema, payload, '');
  const items = (envelope.changelog?.items ?? []).map((item, index) => ({ item, to: toStringOf(item, index) }));
  const created = webhookEvent === 'jira:issue_created';
  const status = created ? undefined : items.find(({ item }) => item.field === 'status');
  const facts = baseFacts(envelope);
  let type: string;
  if (created) {
    type = 'issue.created';
  } else if (status) {
    type = 'issue.transitioned';
    facts.fromStatus = status.item.fromString ?? null;
    facts.toStatus = status.to;
  } else {
    type = 'issue.updated';
    facts.changedFields = [...new Set(items.map(({ item }) => item.field))];
  }
  return { ignored: false, events: [toEvent(envelope, deliveryId, type, facts, created)] };
}

/**
 * Reads an item's `toString` as an own property: a zod shape key would read the inherited
 * `Object.prototype.toString` on items that lack it.
 */
function toStringOf(item: JiraChangelogItem, index: number): string | null {
  const value: unknown = Object.hasOwn(item, 'toString') ? (item as Record<string, unknown>).toString : undefined;
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') {
    throw new PayloadInvalidError(`changelog.items.${index}.toString: expected string, received ${typeof value}`);
  }
  return value;
}

function baseFacts({ issue }: JiraEnvelope): Record<string, FactValue> {
  const { fields } = issue;
  const facts: Record<string, FactValue> = {
    issueType: fields.issuetype?.name ?? null,
    project: fields.project?.name ?? null,
    projectKey: fields.project?.key ?? null,
    status: fields.status?.name ?? null,
    assignee: fields.assignee?.displayName ?? null,
    reporter: fields.reporter?.displayName ?? null,
    priority: fields.priority?.name ?? null,
    // Labels name work (tech-debt, incident), not people; clipped like every fact.
    labels: (fields.labels ?? []).slice(0, 50).map((label) => clip(label, 100)),
  };
  // Resolution and its time: what the weekly update's "where the effort went" counts.
  if (fields.resolution?.name) facts.resolution = clip(fields.resolution.name, 100);
  const resolvedAt = fields.resolutiondate ? Date.parse(fields.resolutiondate) : Number.NaN;
  if (Number.isFinite(resolvedAt)) facts.resolvedAt = new Date(resolvedAt).toISOString();
  const category = fields.status?.statusCategory?.name;
  if (category) facts.statusCategory = category;
  if (typeof fields.description === 'string' && fields.description.trim() !== '') {
    facts.descriptionExcerpt = clip(fields.description.trim(), DESCRIPTION_EXCERPT_CHARS);
  }
  return facts;
}

function toEvent(
  { issue, user, timestamp, changelog }: JiraEnvelope,
  deliveryId: string,
  type: string,
  facts: Record<string, FactValue>,
  created: boolean,
): CanonicalEvent {
  const url = browseUrl(issue.self, issue.key);
  const links: Link[] = url ? [{ label: `Jira ${issue.key}`, url }] : [];
  const actors: Actor[] = [];
  addActor(actors, 'agent', user?.displayName, user?.accountId);
  addActor(actors, 'assignee', issue.fields.assignee?.displayName, issue.fields.assignee?.accountId);
  addActor(actors, 'reporter', issue.fields.reporter?.displayName, issue.fields.reporter?.accountId);
  // An update without a changelog (e.g. a comment) must not collide with the creation event.
  const change = changelog?.id ?? (created ? 'created' : 'update');
  const priority = issue.fields.priority?.name;
  return {
    id: `jira:${issue.id}:${timestamp}:${change}`,
    source: 'jira',
    type,
    occurredAt: new Date(timestamp).toISOString(),
    deliveryId,
    subject: {
      kind: 'issue',
      id: issue.id,
      key: issue.key,
      title: clip(issue.fields.summary || `Jira issue ${issue.key}`, 1000),
      url,
    },
    priority: priority ? clip(priority, 50) : undefined,
    actors,
    links,
    facts,
  };
}

/** `<origin of issue.self>/browse/<key>`, only for http(s) origins. */
function browseUrl(self: string | null | undefined, key: string): string | undefined {
  const base = safeHttpUrl(self);
  if (!base) return undefined;
  const url = safeHttpUrl(new URL(`/browse/${encodeURIComponent(key)}`, new URL(base).origin).toString());
  return url && url.length <= 2000 ? url : undefined;
}

function addActor(actors: Actor[], role: string, name: string | null | undefined, id: string | null | undefined): void {
  if (!name) return;
  actors.push({ role, name: clip(name, 200), ...(id && id.length <= 200 ? { id } : {}) });
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * Payload as stored for audit: without emails and other personal fields, and without the
 * description, comments, worklogs and the description's changelog text.
 */
export function redactJiraPayload(payload: unknown): unknown {
  const copy = stripPersonalData(payload);
  if (copy === null || typeof copy !== 'object' || Array.isArray(copy)) return copy;
  const record = copy as Record<string, unknown>;
  delete record.comment;
  delete record.worklog;
  const issue = record.issue;
  if (issue !== null && typeof issue === 'object' && !Array.isArray(issue)) {
    const fields = (issue as Record<string, unknown>).fields;
    if (fields !== null && typeof fields === 'object' && !Array.isArray(fields)) {
      const f = fields as Record<string, unknown>;
      delete f.description;
      delete f.comment;
      delete f.worklog;
      delete f.environment;
    }
  }
  const changelog = record.changelog;
  if (changelog !== null && typeof changelog === 'object' && !Array.isArray(changelog)) {
    const items = (changelog as Record<string, unknown>).items;
    if (Array.isArray(items)) {
      for (const item of items) {
        if (item !== null && typeof item === 'object' && (item as Record<string, unknown>).field === 'description') {
          Object.assign(item, { from: null, fromString: null, to: null, toString: null });
        }
      }
    }
  }
  return record;
}
