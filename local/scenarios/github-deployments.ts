import { sendDelivery } from './send';
import type { ScenarioDelivery } from './signers';

export interface GitHubScenarioOptions {
  repository?: string;
  /** When the first production deployment finishes; the rest follow at fixed offsets. */
  start?: Date;
  /** Distinguishes deliveries of two runs (delivery ids, status ids). */
  run?: string;
}

/**
 * GitHub deliveries in their documented shapes for one repository: a ping, two merged pull
 * requests (one before the first deployment, one between the first and second), three
 * production deployments (GitHub's `production_environment: true`, then two named
 * `production`), one staging deployment, and a pending status that is ignored. Obviously
 * fake accounts. Used by the demo and the tests.
 *
 * Offsets from `start` (hours): PR #101 opened −20, merged −2 → deployment 1 at 0 (lead time
 * 20 h); staging at +1; PR #102 opened +0.5, merged +1.5 → deployment 2 at +2 (1 h 30 min);
 * deployment 3 at +4.
 */
export function gitHubDeploymentScenario(options: GitHubScenarioOptions = {}): ScenarioDelivery[] {
  const repository = options.repository ?? 'acme/checkout-api';
  const start = options.start ?? new Date(Date.now() - 6 * 3_600_000);
  const run = options.run ?? String(start.getTime());
  const at = (hours: number) => new Date(start.getTime() + hours * 3_600_000).toISOString().replace('.000Z', 'Z');
  const [owner = 'acme', name = repository] = repository.split('/');
  const repo = {
    id: 700000001,
    name,
    full_name: repository,
    private: true,
    owner: { login: owner, type: 'Organization' },
    html_url: `https://github.com/${repository}`,
  };
  const bot = { login: 'github-actions[bot]', type: 'Bot' };
  let sequence = 0;
  const delivery = (event: string, body: unknown): ScenarioDelivery => {
    sequence += 1;
    return { source: 'github', event, deliveryId: `github-${run}-${sequence}`, body: JSON.stringify(body) };
  };
  const deploymentStatus = (deploymentId: number, state: string, environment: string, production: boolean | undefined, hours: number) =>
    delivery('deployment_status', {
      action: 'created',
      deployment_status: {
        id: deploymentId * 100 + sequence + 1,
        state,
        environment,
        creator: bot,
        target_url: `https://github.com/${repository}/actions/runs/${deploymentId}`,
        created_at: at(hours),
        updated_at: at(hours),
      },
      deployment: {
        id: deploymentId,
        task: 'deploy',
        environment,
        original_environment: environment,
        ...(production === undefined ? {} : { production_environment: production }),
        transient_environment: false,
        sha: `${String(deploymentId).padStart(8, '0')}${'0'.repeat(32)}`,
        ref: 'main',
        creator: bot,
        created_at: at(hours - 0.1),
        updated_at: at(hours),
      },
      repository: repo,
      sender: bot,
    });
  const merged = (number: number, title: string, openedHours: number, mergedHours: number) =>
    delivery('pull_request', {
      action: 'closed',
      number,
      pull_request: {
        id: 3300000 + number,
        number,
        html_url: `https://github.com/${repository}/pull/${number}`,
        state: 'closed',
        title,
        user: { login: 'dev-ada-fake', type: 'User' },
        created_at: at(openedHours),
        closed_at: at(mergedHours),
        merged: true,
        merged_at: at(mergedHours),
        merge_commit_sha: `${number}${'f'.repeat(37)}`,
        merged_by: { login: 'dev-bob-fake', type: 'User' },
        commits: 2,
        base: { ref: 'main', repo },
      },
      repository: repo,
      sender: { login: 'dev-bob-fake', type: 'User' },
    });
  // Deployment ids unique per start minute, so two runs never share one.
  const id = (n: number) => (Math.floor(start.getTime() / 60_000) % 10_000_000) * 10 + n;
  return [
    delivery('ping', {
      zen: 'Keep it logically awesome.',
      hook_id: 500000001,
      hook: { type: 'Repository', events: ['deployment_status', 'pull_request'] },
      repository: repo,
      sender: bot,
    }),
    merged(101, 'Retry card authorisation once on a gateway timeout', -20, -2),
    deploymentStatus(id(1), 'pending', 'production', true, -0.1),
    deploymentStatus(id(1), 'success', 'production', true, 0),
    deploymentStatus(id(2), 'success', 'staging', false, 1),
    merged(102, 'Cache tax rates per region for an hour', 0.5, 1.5),
    deploymentStatus(id(3), 'success', 'production', undefined, 2),
    deploymentStatus(id(4), 'success', 'production', undefined, 4),
  ];
}

/**
 * The demo's GitHub part: signs and sends the scenario to a running service and prints each
 * answer (the ping, the pending status and the staging deployment are answered 202 like the
 * rest; only production successes count).
 */
export async function sendGitHubScenario(baseUrl: string, secret: string, log: (line: string) => void = console.log): Promise<void> {
  const deliveries = gitHubDeploymentScenario();
  log('\nSending GitHub deliveries: a ping, 2 merged pull requests, 3 production deployments, 1 staging deployment, 1 pending status');
  for (const delivery of deliveries) {
    const result = await sendDelivery(baseUrl, delivery, secret);
    const body = JSON.parse(delivery.body) as { deployment_status?: { state: string; environment: string }; number?: number };
    const what = body.deployment_status ? `${body.deployment_status.state} → ${body.deployment_status.environment}` : body.number ? `PR #${body.number}` : '';
    log(`  ${`${delivery.event ?? ''} ${what}`.padEnd(34)} → ${result.status} ${JSON.stringify(result.body)}`);
    if (result.status >= 400)
      throw new Error(`The service rejected the GitHub ${delivery.event ?? ''} delivery; is it running with the same GITHUB_WEBHOOK_SECRET?`);
  }
}
