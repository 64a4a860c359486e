import { describe, expect, it } from 'vitest';
import { SERVICE_CREDENTIALS_NAME, SIGNING_SECRETS_NAME, secretArnEnvName } from '../../functions/core/lambda-env';
import { ServiceFunction } from '../../lib/service-function';
import { actionsOf, environmentOf, logicalIdOf, resolveImport, resourcesOf, roleStatements, type SynthesizedApp, synthApp } from './app-fixture';

/*
 * Least privilege for secrets, function by function (ADR 0012, ADR 0014): the inbound verifiers
 * read the signing secrets only, the functions that post, write or spend the credentials only,
 * the interactions function both (it verifies Slack and opens the Reject modal), the rest none.
 * Two secrets in every configuration.
 */

const SIGNING = [SIGNING_SECRETS_NAME];
const CREDENTIALS = [SERVICE_CREDENTIALS_NAME];

/** What each function (by its entry) may read, with every optional feature on. */
const EXPECTED: Record<string, string[]> = {
  'functions/ingest/handler.ts': SIGNING,
  'functions/ask/events-handler.ts': SIGNING,
  'functions/approvals/interactions-handler.ts': [...SIGNING, ...CREDENTIALS],
  'functions/incidents/handler.ts': CREDENTIALS,
  'functions/approvals/worker-handler.ts': CREDENTIALS,
  'functions/digest/handler.ts': CREDENTIALS,
  'functions/escalations/handler.ts': CREDENTIALS,
  'functions/weekly/handler.ts': CREDENTIALS,
  'functions/outbox/sweeper-handler.ts': CREDENTIALS,
  'functions/ask/worker-handler.ts': CREDENTIALS,
  'functions/history/handler.ts': [],
  'functions/approvals/expiry-handler.ts': [],
};

/** Each function's readable secrets, by name, from its role's policies and its environment; the two must agree. */
function secretGrants(built: SynthesizedApp): Record<string, string[]> {
  const { stateful, statefulTemplate, serviceTemplate, service } = built;
  const nameOf = new Map<string, string>();
  for (const name of [SIGNING_SECRETS_NAME, SERVICE_CREDENTIALS_NAME]) {
    const secret = stateful.secrets.get(name);
    if (secret === undefined) throw new Error(`No secret ${name}`);
    nameOf.set(logicalIdOf(secret), name);
  }
  const named = (value: unknown) => {
    const ref = (resolveImport(statefulTemplate, value) as { Ref?: string }).Ref ?? '';
    return nameOf.get(ref) ?? `unknown secret ${ref}`;
  };
  const grants: Record<string, string[]> = {};
  for (const fn of service.node.findAll().filter((c): c is ServiceFunction => c instanceof ServiceFunction)) {
    const id = logicalIdOf(fn.fn);
    const statements = roleStatements(serviceTemplate, id);
    const secretActions = statements.filter((statement) => actionsOf(statement).some((action) => action.startsWith('secretsmanager:')));
    const readable = secretActions.flatMap(resourcesOf).map(named).sort();
    const env = environmentOf(serviceTemplate, id);
    const handed = Object.keys(env)
      .filter((key) => key.endsWith('_ARN') && [SIGNING_SECRETS_NAME, SERVICE_CREDENTIALS_NAME].some((name) => key === secretArnEnvName(name)))
      .map((key) => named(env[key]))
      .sort();
    expect(readable, `${fn.entry}: granted vs handed`).toEqual(handed);
    // Read only: GetSecretValue and DescribeSecret, never a write.
    for (const statement of secretActions) expect(actionsOf(statement).sort()).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    grants[fn.entry] = readable;
  }
  return grants;
}

describe('secret grants per function (least privilege) and the secret count', () => {
  // Synthesised once per file, outside the tests' timeout (cdk-nag runs on every synth).
  const full = synthApp({
    claudeWriter: true,
    approvals: {
      triggers: [],
      defaultDeadlineHours: 48,
      writeBack: { enabled: true, baseUrl: 'https://acme.atlassian.net', email: 'bot@example.com', transitions: {} },
    },
  });
  const defaults = synthApp();
  const expected = Object.fromEntries(Object.entries(EXPECTED).map(([entry, names]) => [entry, [...names].sort()]));

  it('with every optional feature on: each function reads exactly the secrets it needs, of two', () => {
    full.statefulTemplate.resourceCountIs('AWS::SecretsManager::Secret', 2);
    expect(secretGrants(full)).toEqual(expected);
  });

  it('with the defaults (template writer, no write-back): the same grants, the same two secrets', () => {
    defaults.statefulTemplate.resourceCountIs('AWS::SecretsManager::Secret', 2);
    expect(secretGrants(defaults)).toEqual(expected);
  });
});
