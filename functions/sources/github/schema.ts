import * as z from 'zod/mini';

/**
 * The parts of GitHub webhook payloads this service uses. Objects are loose: GitHub adds
 * fields over time and an unknown field must never reject a delivery. Shapes: GitHub Docs,
 * "Webhook events and payloads" (`deployment_status`, `pull_request`, `ping`).
 */
const instant = z.iso.datetime({ offset: true });

const account = z.looseObject({ login: z.nullish(z.string().check(z.maxLength(200))) });

const repository = z.looseObject({
  name: z.string().check(z.minLength(1), z.maxLength(200)),
  full_name: z.string().check(z.minLength(3), z.maxLength(300)),
  html_url: z.nullish(z.string()),
});

export const deploymentStatusPayloadSchema = z.looseObject({
  action: z.nullish(z.string()),
  deployment_status: z.looseObject({
    id: z.union([z.int(), z.string().check(z.minLength(1), z.maxLength(100))]),
    /** pending, success, failure, error (and inactive, in_progress, queued from the REST API); unknown ones are accepted. */
    state: z.string().check(z.minLength(1), z.maxLength(50)),
    environment: z.nullish(z.string().check(z.maxLength(255))),
    description: z.nullish(z.string()),
    target_url: z.nullish(z.string()),
    log_url: z.nullish(z.string()),
    created_at: instant,
    creator: z.nullish(account),
  }),
  deployment: z.looseObject({
    id: z.union([z.int(), z.string().check(z.minLength(1), z.maxLength(100))]),
    environment: z.string().check(z.minLength(1), z.maxLength(255)),
    /** Optional in GitHub's schema: unset means "not said", not "not production". */
    production_environment: z.nullish(z.boolean()),
    transient_environment: z.nullish(z.boolean()),
    sha: z.nullish(z.string().check(z.maxLength(100))),
    ref: z.nullish(z.string().check(z.maxLength(300))),
    description: z.nullish(z.string()),
    created_at: z.nullish(instant),
    creator: z.nullish(account),
  }),
  repository,
});

export const pullRequestPayloadSchema = z.looseObject({
  action: z.string().check(z.minLength(1)),
  number: z.nullish(z.int()),
  pull_request: z.looseObject({
    id: z.union([z.int(), z.string().check(z.minLength(1), z.maxLength(100))]),
    number: z.int(),
    html_url: z.nullish(z.string()),
    title: z.nullish(z.string()),
    body: z.nullish(z.string()),
    head: z.nullish(z.looseObject({ ref: z.nullish(z.string().check(z.maxLength(300))) })),
    user: z.nullish(account),
    created_at: instant,
    merged: z.nullish(z.boolean()),
    merged_at: z.nullish(instant),
    merge_commit_sha: z.nullish(z.string().check(z.maxLength(100))),
    merged_by: z.nullish(account),
    commits: z.nullish(z.int()),
    base: z.looseObject({ ref: z.nullish(z.string().check(z.maxLength(300))), repo: repository }),
  }),
  repository: z.nullish(repository),
});

export type DeploymentStatusPayload = z.infer<typeof deploymentStatusPayloadSchema>;
export type PullRequestPayload = z.infer<typeof pullRequestPayloadSchema>;
