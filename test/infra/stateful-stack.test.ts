import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { SERVICE_CREDENTIALS_NAME, ServiceSecretNames, SIGNING_SECRETS_NAME } from '../../functions/core/lambda-env';
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

  it('keeps every signing secret in one JSON secret and the Slack token in the credentials secret beside it: two secrets', () => {
    const signingNames = [...sources.map((source) => source.secretName), ServiceSecretNames.slackSigningSecret];
    const signing = stateful.secrets.get(SIGNING_SECRETS_NAME);
    const credentials = stateful.secrets.get(SERVICE_CREDENTIALS_NAME);
    if (signing === undefined || credentials === undefined) throw new Error(`No ${SIGNING_SECRETS_NAME} or ${SERVICE_CREDENTIALS_NAME}`);
    // The service stack asks for a secret by its own name and gets the JSON secret it is a field of.
    for (const name of signingNames) expect(stateful.secrets.get(name), name).toBe(signing);
    expect(stateful.secrets.get(ServiceSecretNames.slackBotToken)).toBe(credentials);
    expect(credentials).not.toBe(signing);
    template.resourceCountIs('AWS::SecretsManager::Secret', 2);
    for (const [secretName, secret] of [
      [SIGNING_SECRETS_NAME, signing],
      [SERVICE_CREDENTIALS_NAME, credentials],
    ] as const) {
      expect(template.toJSON().Resources[logicalIdOf(secret)]).toMatchObject({
        Type: 'AWS::SecretsManager::Secret',
        Properties: { Name: `exec-eng-lead/prod/${secretName}`, Description: expect.stringMatching(/JSON/) },
      });
      // A JSON placeholder, so the functions' JSON read of it works before an operator fills it in.
      expect(template.toJSON().Resources[logicalIdOf(secret)].Properties.GenerateSecretString).toMatchObject({ SecretStringTemplate: '{}' });
    }
  });

  it('still two secrets with the Claude writer and Jira write-back on: the key and the token are fields of the credentials secret', () => {
    const { stateful: full, statefulTemplate: fullTemplate } = synthApp({
      claudeWriter: true,
      approvals: {
        triggers: [],
        defaultDeadlineHours: 48,
        writeBack: { enabled: true, baseUrl: 'https://acme.atlassian.net', email: 'bot@example.com', transitions: {} },
      },
    });
    fullTemplate.resourceCountIs('AWS::SecretsManager::Secret', 2);
    const credentials = full.secrets.get(SERVICE_CREDENTIALS_NAME);
    expect(full.secrets.get(ServiceSecretNames.anthropicApiKey)).toBe(credentials);
    expect(full.secrets.get(ServiceSecretNames.jiraApiToken)).toBe(credentials);
    // Off by default: no function can ask for them.
    expect(stateful.secrets.get(ServiceSecretNames.anthropicApiKey)).toBeUndefined();
    expect(stateful.secrets.get(ServiceSecretNames.jiraApiToken)).toBeUndefined();
  });

  it('with legacyCredentialSecrets keeps the credential secrets of earlier versions under their names and exported, for the upgrade deploy', () => {
    const { statefulTemplate: legacy } = synthApp({ legacyCredentialSecrets: true, claudeWriter: true });
    const old = [ServiceSecretNames.slackBotToken, ServiceSecretNames.anthropicApiKey];
    legacy.resourceCountIs('AWS::SecretsManager::Secret', 2 + old.length);
    const exported = Object.values(legacy.toJSON().Outputs as Record<string, { Export?: { Name?: string } }>).map((output) => output.Export?.Name ?? '');
    // The logical ids (so CloudFormation keeps the very same secrets) and export names the old stacks used.
    for (const [name, construct] of [
      [ServiceSecretNames.slackBotToken, 'SlackBotToken'],
      [ServiceSecretNames.anthropicApiKey, 'AnthropicApiKey'],
    ] as const) {
      const ids = Object.keys(legacy.findResources('AWS::SecretsManager::Secret', { Properties: { Name: `exec-eng-lead/prod/${name}` } }));
      expect(ids, name).toHaveLength(1);
      expect(ids[0]).toMatch(new RegExp(`^${construct}[0-9A-F]{8}$`));
      expect(
        exported.some((exportName) => exportName.includes(`ExportsOutputRef${construct}`)),
        name,
      ).toBe(true);
    }
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
