import * as z from 'zod';

/**
 * The parts of GitHub webhook payloads this service uses. Objects are loose: GitHub adds
 * fields over time and an unknown field must never reject a delivery. Shapes: GitHub Docs,
 * "Webhook events and payloads" (`deployment_status`, `pull_request`, `ping`).
 */
const instant = z.string().datetime({ offset: true });

const account = z.looseObject({ login: z.string().max(200).nullish() });

const repository = z.looseObject({
  name: z.string().min(1).max(200),
  full_name: z.string().min(3).max(300),
  html_url: z.string().nullish(),
});

export const deploymentStatusPayloadSchema = z.looseObject({
  action: z.string().nullish(),
  deployment_status: z.looseObject({
    id: z.union([z.number().int(), z.string().min(1).max(100)]),
    /** pending, success, failure, error (and inactive, in_progress, queued from the REST API); unknown ones are accepted. */
    state: z.string().min(1).max(50),
    environment: z.string().max(255).nullish(),
    description: z.string().nullish(),
    target_url: z.string().nullish(),
    log_url: z.string().nullish(),
    created_at: instant,
    creator: account.nullish(),
  }),
  deployment: z.looseObject({
    id: z.union([z.number().int(), z.string().min(1).max(100)]),
    environment: z.string().min(1).max(255),
    /** Optional in GitHub's schema: unset means "not said", not "not production". */
    production_environment: z.boolean().nullish(),
    transient_environment: z.boolean().nullish(),
    sha: z.string().max(100).nullish(),
    ref: z.string().max(300).nullish(),
    description: z.string().nullish(),
    created_at: instant.nullish(),
    creator: account.nullish(),
  }),
  repository,
});

export const pullRequestPayloadSchema = z.looseObject({
  action: z.string().min(1),
  number: z.number().int().nullish(),
  pull_request: z.looseObject({
    id: z.union([z.number().int(), z.string().min(1).max(100)]),
    number: z.number().int(),
    html_url: z.string().nullish(),
    title: z.string().nullish(),
    body: z.string().nullish(),
    head: z.looseObject({ ref: z.string().max(300).nullish() }).nullish(),
    user: account.nullish(),
    created_at: instant,
    merged: z.boolean().nullish(),
    merged_at: instant.nullish(),
    merge_commit_sha: z.string().max(100).nullish(),
    merged_by: account.nullish(),
    commits: z.number().int().nullish(),
    base: z.looseObject({ ref: z.string().max(300).nullish(), repo: repository }),
  }),
  repository: repository.nullish(),
});

export type DeploymentStatusPayload = z.infer<typeof deploymentStatusPayloadSchema>;
export type PullRequestPayload = z.infer<typeof pullRequestPayloadSchema>;
