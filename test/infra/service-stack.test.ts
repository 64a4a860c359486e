import { loadAttentionConfig } from '../../functions/incidents/attention-config';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { LambdaEnv, SERVICE_CREDENTIALS_NAME, ServiceSecretNames, SIGNING_SECRETS_NAME, secretArnEnvName } from '../../functions/core/lambda-env';
import { loadDigestConfig } from '../../functions/digest/digest-config';
import { DEPLOYED_STATUSES_ENV } from '../../functions/history/time-indexed';
import { routes } from '../../functions/core/routing';
import { sources } from '../../functions/sources/registry';
import { WEBHOOK_ROUTE_PATH } from '../../lib/service-stack';
import {
  actionsOf,
  environmentOf,
  logicalIdOf,
  policyStatementsOfRole,
  propertiesOf,
  resolveImport,
  resourcesOf,
  roleStatements,
  synthApp,
} from './app-fixture';

interface RuleTarget {
  Arn?: unknown;
  RetryPolicy?: unknown;
  DeadLetterConfig?: { Arn?: { 'Fn::GetAtt'?: [string, string] } };
}

const secretNames = [...sources.map((source) => source.secretName), ...Object.values(ServiceSecretNames), SIGNING_SECRETS_NAME, SERVICE_CREDENTIALS_NAME];

describe('ServiceStack', () => {
  const built = synthApp();
  const { serviceTemplate: template, statefulTemplate, stateful, service, config } = built;
  const ingestId = logicalIdOf(service.ingest.fn);
  const workerId = logicalIdOf(service.incidentWorker.fn);
  const hiringId = logicalIdOf(service.historyWorker.fn);
  const approvalId = logicalIdOf(service.approvalWorker.fn);
  const interactionsId = logicalIdOf(service.interactions.fn);
  const expiryId = logicalIdOf(service.approvalExpiry.fn);
  const digestId = logicalIdOf(service.digest.fn);
  const escalationId = logicalIdOf(service.escalations.worker.fn);
  const allFunctions = [
    ...[ingestId, workerId, hiringId, approvalId, interactionsId, expiryId, digestId, escalationId],
    ...[service.outbox.sweeper.fn, service.weekly.fn.fn, service.ask.events.fn, service.ask.worker.fn].map(logicalIdOf),
  ];

  /** Asserts that `value` (an env var or policy resource) is the ARN of the named secret. */
  function expectSecretArn(value: unknown, secretName: string): void {
    const secret = stateful.secrets.get(secretName);
    if (secret === undefined) throw new Error(`No secret ${secretName}`);
    expect(resolveImport(statefulTemplate, value)).toEqual({ Ref: logicalIdOf(secret) });
  }

  /** Asserts the function's role may read exactly that secret value. */
  function expectSecretReadGrant(functionId: string, arnValue: unknown): void {
    const grants = roleStatements(template, functionId).filter(
      (statement) => statement.Effect === 'Allow' && actionsOf(statement).includes('secretsmanager:GetSecretValue'),
    );
    expect(grants.flatMap(resourcesOf)).toContainEqual(arnValue);
  }

  describe('functions', () => {
    it('run on nodejs24.x on arm64 with explicit memory and timeouts', () => {
      template.resourceCountIs('AWS::Lambda::Function', allFunctions.length);
      template.allResourcesProperties('AWS::Lambda::Function', {
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
      });
      // History and expiry only do a few DynamoDB calls; the rest load the writer or Slack.
      for (const id of [ingestId, workerId, approvalId, interactionsId, digestId]) expect(propertiesOf(template, id).MemorySize).toBe(512);
      for (const id of [hiringId, expiryId]) expect(propertiesOf(template, id).MemorySize).toBe(256);
      expect(propertiesOf(template, ingestId).Timeout).toBe(10);
      expect(propertiesOf(template, workerId).Timeout).toBe(60);
      expect(propertiesOf(template, hiringId).Timeout).toBe(30);
      expect(propertiesOf(template, approvalId).Timeout).toBe(60);
      // Slack wants an answer within 3 s; the function may not outlive a slow dependency by much.
      expect(propertiesOf(template, interactionsId).Timeout).toBe(10);
      expect(propertiesOf(template, expiryId).Timeout).toBe(30);
      // The weekly update reads up to a quarter of records and writes one long document, as the digest.
      expect(propertiesOf(template, logicalIdOf(service.weekly.fn.fn))).toMatchObject({ Timeout: 120, MemorySize: 512 });
    });

    it('log to their own log groups with the configured retention', () => {
      for (const id of allFunctions) {
        const logGroup = (propertiesOf(template, id).LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
        expect(propertiesOf(template, logGroup).RetentionInDays).toBe(config.logRetentionDays);
      }
    });

    it('use roles without managed policies and never grant on "*"', () => {
      template.allResourcesProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
      for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
        for (const statement of policy.Properties.PolicyDocument.Statement) {
          expect(resourcesOf(statement)).not.toContain('*');
        }
      }
    });

    it('carry secret ARNs only, never secret values', () => {
      const serialized = JSON.stringify(template.toJSON());
      expect(serialized).not.toMatch(/resolve:secretsmanager/);
      expect(serialized).not.toMatch(/SecretString/);
      for (const id of allFunctions) {
        const env = environmentOf(template, id);
        for (const secretName of secretNames) expect(env).not.toHaveProperty(secretName);
        for (const [name, value] of Object.entries(env)) {
          if (!name.endsWith('_ARN')) continue;
          const secretName = name.slice(0, -'_ARN'.length);
          expect(secretNames).toContain(secretName);
          expectSecretArn(value, secretName);
        }
      }
    });
  });

  describe('ingest', () => {
    const env = environmentOf(template, ingestId);

    it('gets the table, bus, body limit, hiring retention and Lever replay window from config', () => {
      expect(env[LambdaEnv.maxBodyBytes]).toBe(String(config.maxBodyBytes));
      expect(env[LambdaEnv.hiringRetentionDays]).toBe(String(config.hiringRetentionDays));
      expect(env[LambdaEnv.leverTimestampWindowMs]).toBe(String(config.leverTimestampWindowMs));
      expect(resolveImport(statefulTemplate, env[LambdaEnv.tableName])).toEqual({ Ref: logicalIdOf(stateful.table) });
      expect(resolveImport(statefulTemplate, env[LambdaEnv.eventBusName])).toEqual({ Ref: logicalIdOf(stateful.bus) });
    });

    it.each(sources.map((source) => [source.name, source] as const))('%s: has <SECRET>_ARN in env and may read that secret', (_name, source) => {
      // Every signing secret is a field of the one signing-secrets secret (ADR 0012).
      expect(env).not.toHaveProperty(secretArnEnvName(source.secretName));
      const arn = env[secretArnEnvName(SIGNING_SECRETS_NAME)];
      expectSecretArn(arn, source.secretName);
      expectSecretArn(arn, SIGNING_SECRETS_NAME);
      expectSecretReadGrant(ingestId, arn);
    });

    it('may write to the table (conditional puts, updates) and put events on the bus only', () => {
      const statements = roleStatements(template, ingestId);
      const tableWrite = statements.find((statement) => actionsOf(statement).includes('dynamodb:PutItem'));
      expect(actionsOf(tableWrite ?? {})).toEqual(expect.arrayContaining(['dynamodb:UpdateItem', 'dynamodb:GetItem']));
      expect(resolveImport(statefulTemplate, resourcesOf(tableWrite ?? {})[0])).toEqual({
        'Fn::GetAtt': [logicalIdOf(stateful.table), 'Arn'],
      });

      const putEvents = statements.filter((statement) => actionsOf(statement).includes('events:PutEvents'));
      expect(putEvents).toHaveLength(1);
      expect(resolveImport(statefulTemplate, putEvents[0]?.Resource)).toEqual({
        'Fn::GetAtt': [logicalIdOf(stateful.bus), 'Arn'],
      });
    });
  });

  describe('incident worker', () => {
    it('gets table, channel, model and the service credentials (the Slack token; no Anthropic key while claudeWriter is off)', () => {
      expect(config.claudeWriter).toBe(false);
      const env = environmentOf(template, workerId);
      expect(env[LambdaEnv.slackChannelIncidents]).toBe(config.slackChannelIncidents);
      expect(env[LambdaEnv.anthropicModel]).toBe(config.anthropicModel);
      expect(env[LambdaEnv.anthropicDailyTokenBudget]).toBe(String(config.anthropicDailyTokenBudget));
      expect(resolveImport(statefulTemplate, env[LambdaEnv.tableName])).toEqual({ Ref: logicalIdOf(stateful.table) });
      // The attention rules, from cdk.json `attention`, as the worker reads them at start.
      expect(loadAttentionConfig(env as Record<string, string>)).toEqual({ briefMinRank: 2, stormThreshold: 5, stormWindowMs: 600_000 });

      const slackArn = env[secretArnEnvName(SERVICE_CREDENTIALS_NAME)];
      expectSecretArn(slackArn, ServiceSecretNames.slackBotToken);
      expectSecretReadGrant(workerId, slackArn);

      // The credentials secret holds no Anthropic key in this configuration (test/infra/secret-grants.test.ts).
      expect(stateful.secrets.get(ServiceSecretNames.anthropicApiKey)).toBeUndefined();
      const readable = roleStatements(template, workerId)
        .filter((statement) => actionsOf(statement).includes('secretsmanager:GetSecretValue'))
        .flatMap(resourcesOf);
      expect(readable).toEqual([slackArn]);
    });

    it('gets one model variable per configured document-kind override', () => {
      const withOverrides = synthApp({ anthropicModels: { 'incident.update': 'claude-haiku-4-5' } });
      const env = environmentOf(withOverrides.serviceTemplate, logicalIdOf(withOverrides.service.incidentWorker.fn));
      expect(env.ANTHROPIC_MODEL_INCIDENT_UPDATE).toBe('claude-haiku-4-5');
      expect(Object.keys(env).filter((name) => name.startsWith('ANTHROPIC_MODEL_'))).toEqual(['ANTHROPIC_MODEL_INCIDENT_UPDATE']);
    });

    it('gets the Anthropic key ARN and read access when claudeWriter is on', () => {
      const withClaude = synthApp({ claudeWriter: true });
      const id = logicalIdOf(withClaude.service.incidentWorker.fn);
      const arn = environmentOf(withClaude.serviceTemplate, id)[secretArnEnvName(SERVICE_CREDENTIALS_NAME)];
      const secret = withClaude.stateful.secrets.get(ServiceSecretNames.anthropicApiKey);
      if (secret === undefined) throw new Error('No Anthropic secret');
      expect(resolveImport(withClaude.statefulTemplate, arn)).toEqual({ Ref: logicalIdOf(secret) });
      const readable = roleStatements(withClaude.serviceTemplate, id)
        .filter((statement) => actionsOf(statement).includes('secretsmanager:GetSecretValue'))
        .flatMap(resourcesOf);
      expect(readable).toContainEqual(arn);
    });

    it('sends invocations that keep failing to a queue instead of dropping them', () => {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: workerId },
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } } },
      });
    });
  });

  describe('history worker', () => {
    it('gets the table and the retention, reads and writes the table, and holds no secret', () => {
      const env = environmentOf(template, hiringId);
      expect(env[LambdaEnv.hiringRetentionDays]).toBe(String(config.hiringRetentionDays));
      // The same "deployed" statuses the digest reads by time decide which transitions go on the time index.
      expect(env[DEPLOYED_STATUSES_ENV]).toBe(config.digest.deployedStatuses.join(','));
      expect(resolveImport(statefulTemplate, env[LambdaEnv.tableName])).toEqual({ Ref: logicalIdOf(stateful.table) });
      expect(Object.keys(env).filter((name) => name.endsWith('_ARN'))).toEqual([]);
      const statements = roleStatements(template, hiringId);
      expect(statements.flatMap(actionsOf)).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem']));
      expect(statements.flatMap(actionsOf).some((action) => action.startsWith('secretsmanager:'))).toBe(false);
    });
  });

  describe('approvals', () => {
    const readableSecrets = (templateJson: typeof template, id: string) =>
      roleStatements(templateJson, id)
        .filter((statement) => actionsOf(statement).includes('secretsmanager:GetSecretValue'))
        .flatMap(resourcesOf);

    it('routes POST /slack/interactions to the interactions function', () => {
      expect(Object.keys(template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: 'POST /slack/interactions' } }))).toHaveLength(1);
      template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: { 'Fn::GetAtt': [interactionsId, 'Arn'] },
      });
    });

    it('interactions read the signing secret and the bot token, and nothing else secret', () => {
      const env = environmentOf(template, interactionsId);
      const signing = env[secretArnEnvName(SIGNING_SECRETS_NAME)];
      const token = env[secretArnEnvName(SERVICE_CREDENTIALS_NAME)];
      expectSecretArn(signing, ServiceSecretNames.slackSigningSecret);
      expectSecretArn(token, ServiceSecretNames.slackBotToken);
      const readable = readableSecrets(template, interactionsId);
      expect(readable).toHaveLength(2);
      expect(readable).toEqual(expect.arrayContaining([signing, token]));
    });

    it('the worker gets channel, approvers and the validated approvals config; no Jira token unless write-back is on', () => {
      const env = environmentOf(template, approvalId);
      expect(env[LambdaEnv.slackChannelApprovals]).toBe(config.slackChannelApprovals);
      expect(env[LambdaEnv.slackApproverIds]).toBe(config.slackApproverIds.join(','));
      expect(JSON.parse(String(env[LambdaEnv.approvalsConfig]))).toEqual(config.approvals);
      expect(stateful.secrets.get(ServiceSecretNames.jiraApiToken)).toBeUndefined();

      const withWriteBack = synthApp({
        approvals: {
          triggers: [],
          defaultDeadlineHours: 48,
          writeBack: { enabled: true, baseUrl: 'https://acme.atlassian.net', email: 'bot@example.com', transitions: {} },
        },
      });
      const id = logicalIdOf(withWriteBack.service.approvalWorker.fn);
      const arn = environmentOf(withWriteBack.serviceTemplate, id)[secretArnEnvName(SERVICE_CREDENTIALS_NAME)];
      const jira = withWriteBack.stateful.secrets.get(ServiceSecretNames.jiraApiToken);
      if (jira === undefined) throw new Error('No Jira token field');
      expect(resolveImport(withWriteBack.statefulTemplate, arn)).toEqual({ Ref: logicalIdOf(jira) });
      expect(readableSecrets(withWriteBack.serviceTemplate, id)).toContainEqual(arn);
    });

    it.each([
      ['worker', 'approvalWorker'],
      ['interactions', 'interactions'],
      ['expiry', 'approvalExpiry'],
    ] as const)('%s may touch only approval records (by partition key) and put events on the bus', (_name, key) => {
      const statements = roleStatements(template, logicalIdOf(service[key].fn));
      expect(statements.flatMap(actionsOf)).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:UpdateItem', 'events:PutEvents']));
      for (const statement of statements.filter((s) => actionsOf(s).some((action) => action.startsWith('dynamodb:')))) {
        const keys = (statement.Condition as { 'ForAllValues:StringLike'?: { 'dynamodb:LeadingKeys'?: string[] } } | undefined)?.['ForAllValues:StringLike']?.[
          'dynamodb:LeadingKeys'
        ];
        if (JSON.stringify(keys) !== '["OUTBOX#*"]') expect(keys).toEqual(expect.arrayContaining(['APPROVAL#*', 'APPROVALS#PENDING']));
        // Their own records, the day's spend, the worker's write-once claims, or (in a statement of its own) the outbox they post through.
        expect(keys?.every((k) => k.startsWith('APPROVAL') || k === 'SPEND#*' || k === 'WRITE#*') || JSON.stringify(keys) === '["OUTBOX#*"]').toBe(true);
        expect(JSON.stringify(statement.Resource)).not.toContain('/index/');
      }
    });

    it('runs expiry on a Scheduler rate with a role that may invoke only the expiry function', () => {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: `rate(${config.approvalExpiryRateMinutes} minutes)`,
        Target: { Arn: { 'Fn::GetAtt': [expiryId, 'Arn'] }, RoleArn: { 'Fn::GetAtt': [logicalIdOf(service.expirySchedulerRole), 'Arn'] } },
      });
      const statements = policyStatementsOfRole(template, logicalIdOf(service.expirySchedulerRole));
      const invoke = statements.filter((statement) => actionsOf(statement).includes('lambda:InvokeFunction'));
      for (const resource of invoke.flatMap(resourcesOf)) expect(JSON.stringify(resource)).toContain(expiryId);
      // Besides invoking, it may only drop a failed invocation into its dead-letter queue.
      expect(statements.flatMap(actionsOf).sort()).toEqual(['lambda:InvokeFunction', 'sqs:SendMessage']);
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        Target: { Arn: { 'Fn::GetAtt': [expiryId, 'Arn'] }, DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } } },
      });
    });
  });

  describe('digest', () => {
    it('runs on a Scheduler cron in the configured time zone, invoked by a role that may invoke only it', () => {
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(0 9 ? * MON-FRI *)',
        ScheduleExpressionTimezone: config.digest.timeZone,
        Target: { Arn: { 'Fn::GetAtt': [digestId, 'Arn'] }, RoleArn: { 'Fn::GetAtt': [logicalIdOf(service.digestSchedulerRole), 'Arn'] } },
      });
    });

    it('may query the time index, read the two "open now" partitions, and write only its own records: no scan, no broad write', () => {
      const statements = roleStatements(template, digestId).filter((statement) => actionsOf(statement).some((action) => action.startsWith('dynamodb:')));
      const actions = statements.flatMap(actionsOf);
      expect(actions).not.toContain('dynamodb:Scan');
      // Puts and deletes only in the outbox, which the digest is delivered through.
      for (const statement of statements.filter((st) => actionsOf(st).some((a) => a === 'dynamodb:PutItem' || a === 'dynamodb:DeleteItem'))) {
        expect(JSON.stringify(statement.Condition)).toContain('"dynamodb:LeadingKeys":["OUTBOX#*"]');
      }
      const indexQuery = statements.find((statement) => JSON.stringify(statement.Resource).includes('/index/byTime'));
      expect(actionsOf(indexQuery ?? {})).toEqual(['dynamodb:Query']);
      for (const statement of statements) {
        if (statement === indexQuery) continue;
        expect(statement.Condition).toBeDefined();
      }
      expect(JSON.stringify(statements)).toContain('INCIDENTS#OPEN');
      expect(JSON.stringify(statements)).toContain('DIGEST#*');
    });

    it('gets the digest settings as environment variables', () => {
      const env = environmentOf(template, digestId);
      expect(env).toMatchObject({
        SLACK_CHANNEL_DIGEST: config.digest.channel,
        DIGEST_SCHEDULE: config.digest.schedule,
        DIGEST_TIME_ZONE: config.digest.timeZone,
        DIGEST_SLO_TARGET: '0.9999',
      });
      // DORA: the defaults, in the exact form loadDigestConfig reads back.
      expect(env).toMatchObject({ DORA_PRODUCTION_ENVIRONMENTS: 'production,prod', DORA_SERVICE_REPOSITORIES: '{}' });
      expect(loadDigestConfig(env as Record<string, string>)).toMatchObject({ productionEnvironments: ['production', 'prod'], serviceRepositories: {} });
    });

    it('rejects an invalid digest schedule at synth', () => {
      expect(() => synthApp({ digest: { ...config.digest, schedule: 'every morning' } })).toThrow(/digest\.schedule/);
    });

    it('passes a service-to-repository map through, and rejects a repository that is not owner/repo at synth', () => {
      const map = { 'checkout-api': ['acme/checkout-api'] };
      const mapped = synthApp({ digest: { ...config.digest, serviceRepositories: map } });
      expect(JSON.parse(String(environmentOf(mapped.serviceTemplate, digestId).DORA_SERVICE_REPOSITORIES))).toEqual(map);
      expect(() => synthApp({ digest: { ...config.digest, serviceRepositories: { 'checkout-api': ['checkout-api'] } } })).toThrow(
        /digest\.serviceRepositories\.checkout-api\.0/,
      );
    });
  });

  describe('event rules', () => {
    it('has exactly one rule per route', () => {
      template.resourceCountIs('AWS::Events::Rule', routes.length);
    });

    it.each(routes.map((route) => [route.id, route] as const))(
      '%s: pattern equals the routing table, targets its worker with a TLS-only dead-letter queue',
      (_id, route) => {
        const rule = propertiesOf(template, logicalIdOf(service.node.findChild(route.id)));
        expect(rule.EventPattern).toEqual(route.pattern);
        expect(resolveImport(statefulTemplate, rule.EventBusName)).toEqual({ Ref: logicalIdOf(stateful.bus) });

        const workerFn = service.workers[route.worker].fn;
        const targets = rule.Targets as RuleTarget[];
        expect(targets).toHaveLength(1);
        const [target] = targets;
        expect(target?.Arn).toEqual({ 'Fn::GetAtt': [logicalIdOf(workerFn), 'Arn'] });
        expect(target?.RetryPolicy).toEqual({
          MaximumRetryAttempts: expect.any(Number),
          MaximumEventAgeInSeconds: expect.any(Number),
        });

        const queueId = target?.DeadLetterConfig?.Arn?.['Fn::GetAtt']?.[0] ?? '(no dead-letter queue)';
        expect(template.toJSON().Resources[queueId]?.Type).toBe('AWS::SQS::Queue');
        template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: queueId }],
          PolicyDocument: {
            Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
          },
        });
      },
    );
  });

  describe('HTTP API', () => {
    it('routes POST /webhooks/{source} to ingest', () => {
      const routeResources = template.findResources('AWS::ApiGatewayV2::Route', {
        Properties: { RouteKey: `POST ${WEBHOOK_ROUTE_PATH}` },
      });
      expect(Object.keys(routeResources)).toHaveLength(1);
      template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: { 'Fn::GetAtt': [ingestId, 'Arn'] },
      });
    });

    it.each(sources.map((source) => [source.name] as const))('%s: is one lower-case path segment, so the single {source} route serves it', (name) => {
      expect(name).toMatch(/^[a-z][a-z0-9-]{0,49}$/);
    });

    it('throttles and access-logs the default stage', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: Match.anyValue(), ThrottlingBurstLimit: Match.anyValue() },
        AccessLogSettings: {
          DestinationArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
          Format: Match.stringLikeRegexp('\\$context\\.requestId'),
        },
      });
    });

    it('outputs the API URL', () => {
      template.hasOutput('WebhookApiUrl', {
        Value: { 'Fn::Join': ['', Match.arrayWith(['https://', { Ref: logicalIdOf(service.api) }])] },
      });
    });
  });
});
