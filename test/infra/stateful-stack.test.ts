import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ServiceSecretNames } from '../../functions/core/lambda-env';
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

  it('has one secret per registered source plus the Slack and Anthropic secrets, and no others', () => {
    const expected = [...sources.map((source) => source.secretName), ...Object.values(ServiceSecretNames)];

    expect([...stateful.secrets.keys()].sort()).toEqual([...expected].sort());
    template.resourceCountIs('AWS::SecretsManager::Secret', expected.length);
    for (const secretName of expected) {
      const secret = stateful.secrets.get(secretName);
      if (secret === undefined) throw new Error(`No secret ${secretName}`);
      // The construct handed to the service stack is the secret named after it, with paste instructions.
      expect(template.toJSON().Resources[logicalIdOf(secret)]).toMatchObject({
        Type: 'AWS::SecretsManager::Secret',
        Properties: { Name: `exec-eng-lead/prod/${secretName}`, Description: expect.stringContaining('paste') },
      });
    }
  });

  it('never puts a secret value in the template: CloudFormation only generates placeholders', () => {
    const secrets = template.findResources('AWS::SecretsManager::Secret');
    for (const secret of Object.values(secrets)) {
      expect(secret.Properties).not.toHaveProperty('SecretString');
    }
  });
});
