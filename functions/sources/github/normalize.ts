import type { Actor, FactValue, Link } from '../../core/canonical-event';
import { safeHttpUrl } from '../../core/safe-url';
import { maskPersonalText } from '../../core/personal-data';
import { marksRework } from '../../core/rework-marker';
import { parseOrExplain } from '../schema-error';
import type { Headers, Normalized } from '../types';
import { type DeploymentStatusPayload, deploymentStatusPayloadSchema, type PullRequestPayload, pullRequestPayloadSchema } from './schema';

/** Canonical event types the GitHub source produces (see docs/adr/0009-dora-from-github.md). */
export const GitHubEventTypes = {
  deploymentSucceeded: 'deployment.succeeded',
  deploymentFailed: 'deployment.failed',
  pullRequestMerged: 'pull_request.merged',
} as const;

/** deployment_status states that end a deployment; every other state (pending, queued, …, unknown) is ignored. */
const FINAL_STATES = new Map<string, string>([
  ['success', GitHubEventTypes.deploymentSucceeded],
  ['failure', GitHubEventTypes.deploymentFailed],
  ['error', GitHubEventTypes.deploymentFailed],
]);

/**
 * Maps a GitHub delivery to canonical events:
 * - `deployment_status` with state `success` → `deployment.succeeded`; `failure` or `error` →
 *   `deployment.failed`; other states (pending, in_progress, queued, inactive, unknown) are
 *   ignored with a reason. Whether the environment is production is decided by the digest
 *   (`DORA_PRODUCTION_ENVIRONMENTS`), so the raw facts are kept;
 * - `pull_request` closed with `merged: true` → `pull_request.merged`; other actions ignored;
 * - `ping` and every other event: ignored with a reason.
 * The event name is GitHub's `X-GitHub-Event` header; without it (never from GitHub) it is read
 * from the payload's shape. Pull request bodies and comments are never copied.
 */
export function normalizeGitHubEvent(payload: unknown, deliveryId: string, headers: Headers = {}): Normalized {
  const name = headers['x-github-event'] ?? inferEventName(payload);
  if (name === 'deployment_status') return deploymentStatus(parseOrExplain(deploymentStatusPayloadSchema, payload, ''), deliveryId);
  if (name === 'pull_request') return pullRequest(parseOrExplain(pullRequestPayloadSchema, payload, ''), deliveryId);
  if (name === 'ping') return { ignored: true, reason: 'GitHub ping: the webhook is set up' };
  return { ignored: true, reason: `GitHub event ${name ?? '(unnamed)'} is not used by this service` };
}

function inferEventName(payload: unknown): string | undefined {
  if (payload === null || typeof payload !== 'object') return undefined;
  const body = payload as Record<string, unknown>;
  if ('deployment_status' in body) return 'deployment_status';
  if ('pull_request' in body) return 'pull_request';
  if ('zen' in body && 'hook_id' in body) return 'ping';
  return undefined;
}

function deploymentStatus(payload: DeploymentStatusPayload, deliveryId: string): Normalized {
  const { deployment_status: status, deployment, repository } = payload;
  const type = FINAL_STATES.get(status.state.toLowerCase());
  if (!type) return { ignored: true, reason: `GitHub deployment_status state ${clip(status.state, 50)} is not a finished deployment` };
  const environment = status.environment || deployment.environment;
  const links: Link[] = [];
  addLink(links, `Deployment of ${repository.full_name}`, status.target_url ?? status.log_url);
  addLink(links, `GitHub ${repository.full_name}`, repository.html_url);
  const facts: Record<string, FactValue> = {
    repository: repository.full_name,
    environment: clip(environment, 255),
    productionEnvironment: deployment.production_environment ?? null,
    transientEnvironment: deployment.transient_environment ?? null,
    state: status.state.toLowerCase(),
    deploymentId: String(deployment.id),
    sha: deployment.sha ?? null,
    ref: deployment.ref ?? null,
    deploymentCreatedAt: deployment.created_at ? iso(deployment.created_at) : null,
  };
  // A rollback or hotfix is often said only in the deployment's own description (deployment rework rate).
  if (deployment.description) facts.description = clip(maskPersonalText(deployment.description), 300);
  const actors: Actor[] = [];
  addActor(actors, 'agent', status.creator?.login ?? deployment.creator?.login);
  return {
    ignored: false,
    events: [
      {
        id: `github:deployment_status:${status.id}`,
        source: 'github',
        type,
        occurredAt: iso(status.created_at),
        deliveryId,
        subject: {
          kind: 'deployment',
          id: `${repository.full_name}#${deployment.id}`,
          key: `${repository.full_name}@${clip(environment, 50)}`,
          title: clip(`${repository.full_name} to ${environment}`, 1000),
          url: links[0]?.url,
        },
        actors,
        links,
        facts,
      },
    ],
  };
}

function pullRequest(payload: PullRequestPayload, deliveryId: string): Normalized {
  const pr = payload.pull_request;
  if (payload.action !== 'closed') return { ignored: true, reason: `GitHub pull_request action ${clip(payload.action, 50)} is not used by this service` };
  if (pr.merged !== true || !pr.merged_at) return { ignored: true, reason: 'GitHub pull request closed without merging' };
  const repository = pr.base.repo.full_name;
  const url = safeHttpUrl(pr.html_url);
  const actors: Actor[] = [];
  addActor(actors, 'author', pr.user?.login);
  addActor(actors, 'agent', pr.merged_by?.login);
  return {
    ignored: false,
    events: [
      {
        id: `github:pull_request:${pr.id}:merged`,
        source: 'github',
        type: GitHubEventTypes.pullRequestMerged,
        occurredAt: iso(pr.merged_at),
        deliveryId,
        subject: {
          kind: 'pull_request',
          id: `${repository}#${pr.number}`,
          key: `${repository}#${pr.number}`,
          title: clip(pr.title || `Pull request ${pr.number}`, 1000),
          url,
        },
        actors,
        links: url ? [{ label: `Pull request ${repository}#${pr.number}`, url }] : [],
        facts: {
          repository,
          number: pr.number,
          baseRef: pr.base.ref ?? null,
          // The branch: where a revert or hotfix is often marked (deployment rework rate).
          headRef: pr.head?.ref ?? null,
          // The body is never copied: only whether it marks a revert, rollback or hotfix.
          bodyMarksRework: marksRework(pr.body),
          openedAt: iso(pr.created_at),
          mergedAt: iso(pr.merged_at),
          // The webhook does not carry commit dates: lead time starts at the opening unless a
          // first-commit time is supplied.
          firstCommitAt: null,
          mergeCommitSha: pr.merge_commit_sha ?? null,
          commits: pr.commits ?? null,
        },
      },
    ],
  };
}

function iso(instant: string): string {
  return new Date(instant).toISOString();
}

function addLink(links: Link[], label: string, value: string | null | undefined): void {
  const url = safeHttpUrl(value);
  if (url && url.length <= 2000) links.push({ label: clip(label, 200), url });
}

function addActor(actors: Actor[], role: string, login: string | null | undefined): void {
  if (login) actors.push({ role, name: clip(login, 200) });
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
