import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ServiceSecretNames, SIGNING_SECRETS_NAME } from '../../functions/core/lambda-env';
import { tableDefinition } from '../../functions/core/table-definition';
import { sources } from '../../functions/sources/registry';
import { logicalIdOf, synthApp } from './app-fixture';

describe('StatefulStack', () => {
  const { stateful, statefulTemplate: template } = synthApp();

  it('builds the one table from tableDefinition: keys, byTime and byCandidate indexes, TTL, PITR, on-demand, retained', () => {
    const { partitionKey, sortKey, ttlAttribute, timeIndex, candidateIndex } = tableDefinition;

    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: partitionKey, KeyType: 'HASH' },
          { AttributeName: sortKey, KeyType: 'RANGE' },
        ],
        AttributeDefinitions: Match.arrayWith(
          [partitionKey, sortKey, timeIndex.partitionKey, timeIndex.sortKey, candidateIndex.partitionKey].map((name) => ({
            AttributeName: name,
            AttributeType: 'S',
          })),
        ),
        GlobalSecondaryIndexes: [
          {
            IndexName: timeIndex.name,
            KeySchema: [
              { AttributeName: timeIndex.partitionKey, KeyType: 'HASH' },
              { AttributeName: timeIndex.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
          {
            // Keys only: erasure needs to find the records, not read them.
            IndexName: candidateIndex.name,
            KeySchema: [{ AttributeName: candidateIndex.partitionKey, KeyType: 'HASH' }],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          },
        ],
        TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true },
        Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
      },
    });
  });

  it('creates the event bus under a stage-specific name', () => {
    template.resourceCountIs('AWS::Events::EventBus', 1);
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'exec-eng-lead-prod' });
  });

  it('keeps every signing secret in one JSON secret and creates the bot token beside it, nothing else by default', () => {
    const signingNames = [...sources.map((source) => source.secretName), ServiceSecretNames.slackSigningSecret];
    const signing = stateful.secrets.get(SIGNING_SECRETS_NAME);
    if (signing === undefined) throw new Error(`No secret ${SIGNING_SECRETS_NAME}`);
    // The service stack asks for a signing secret by its own name and gets the shared secret.
    for (const name of signingNames) expect(stateful.secrets.get(name), name).toBe(signing);
    template.resourceCountIs('AWS::SecretsManager::Secret', 2);
    for (const secretName of [SIGNING_SECRETS_NAME, ServiceSecretNames.slackBotToken]) {
      const secret = stateful.secrets.get(secretName);
      if (secret === undefined) throw new Error(`No secret ${secretName}`);
      expect(template.toJSON().Resources[logicalIdOf(secret)]).toMatchObject({
        Type: 'AWS::SecretsManager::Secret',
        Properties: { Name: `exec-eng-lead/prod/${secretName}`, Description: expect.stringMatching(/paste|JSON/) },
      });
    }
    // A JSON placeholder, so the functions' JSON read of it works before an operator fills it in.
    expect(template.toJSON().Resources[logicalIdOf(signing)].Properties.GenerateSecretString).toMatchObject({ SecretStringTemplate: '{}' });
  });

  it('creates the Anthropic key and the Jira token only when the Claude writer and Jira write-back use them', () => {
    const { stateful: full, statefulTemplate: fullTemplate } = synthApp({
      claudeWriter: true,
      approvals: {
        triggers: [],
        defaultDeadlineHours: 48,
        writeBack: { enabled: true, baseUrl: 'https://acme.atlassian.net', email: 'bot@example.com', transitions: {} },
      },
    });
    fullTemplate.resourceCountIs('AWS::SecretsManager::Secret', 4);
    expect(full.secrets.get(ServiceSecretNames.anthropicApiKey)).toBeDefined();
    expect(full.secrets.get(ServiceSecretNames.jiraApiToken)).toBeDefined();
    expect(stateful.secrets.get(ServiceSecretNames.anthropicApiKey)).toBeUndefined();
    expect(stateful.secrets.get(ServiceSecretNames.jiraApiToken)).toBeUndefined();
  });

  it('with legacySigningSecrets keeps the per-source secrets of earlier versions under their names and exported, for the upgrade deploy', () => {
    const { statefulTemplate: legacy } = synthApp({ legacySigningSecrets: true });
    const signingNames = [...sources.map((source) => source.secretName), ServiceSecretNames.slackSigningSecret];
    legacy.resourceCountIs('AWS::SecretsManager::Secret', 2 + signingNames.length);
    const exported = Object.values(legacy.toJSON().Outputs as Record<string, { Export?: { Name?: string } }>).map((output) => output.Export?.Name ?? '');
    for (const name of signingNames) {
      legacy.hasResourceProperties('AWS::SecretsManager::Secret', { Name: `exec-eng-lead/prod/${name}` });
      // The export name CDK gave the old service stack's import of this secret.
      const construct = name
        .toLowerCase()
        .split('_')
        .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
        .join('');
      expect(
        exported.some((exportName) => exportName.includes(`ExportsOutputRef${construct}`)),
        name,
      ).toBe(true);
    }
  });

  it('never puts a secret value in the template: CloudFormation only generates placeholders', () => {
    const secrets = template.findResources('AWS::SecretsManager::Secret');
    for (const secret of Object.values(secrets)) {
      expect(secret.Properties).not.toHaveProperty('SecretString');
    }
  });
});
