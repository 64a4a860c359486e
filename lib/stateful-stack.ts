import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type Archive, EventBus } from 'aws-cdk-lib/aws-events';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { SERVICE_CREDENTIALS_NAME, SIGNING_SECRETS_NAME } from '../functions/core/lambda-env';
import { tableDefinition } from '../functions/core/table-definition';
import type { AppConfig } from './config';
import { credentialNames, signingSecretNames } from './secret-env';

export interface StatefulStackProps extends StackProps {
  config: AppConfig;
}

/**
 * Secrets Manager secrets keyed by their logical name (`PAGERDUTY_WEBHOOK_SECRET`, `SLACK_BOT_TOKEN`, …): every signing
 * secret's name maps to the signing-secrets secret, every credential's name (when configured) to the service-credentials one.
 */
export type SecretsByName = ReadonlyMap<string, Secret>;

/**
 * What outlives a redeploy of the functions: the table, the bus and the secrets.
 * Kept apart so the service stack can be torn down and rebuilt freely.
 */
export class StatefulStack extends Stack {
  readonly table: TableV2;
  readonly bus: EventBus;
  readonly archive: Archive;
  readonly secrets: SecretsByName;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { stage } = props.config;

    this.table = new TableV2(this, 'ServiceTable', {
      partitionKey: { name: tableDefinition.partitionKey, type: AttributeType.STRING },
      sortKey: { name: tableDefinition.sortKey, type: AttributeType.STRING },
      timeToLiveAttribute: tableDefinition.ttlAttribute,
      globalSecondaryIndexes: [
        {
          indexName: tableDefinition.timeIndex.name,
          partitionKey: { name: tableDefinition.timeIndex.partitionKey, type: AttributeType.STRING },
          sortKey: { name: tableDefinition.timeIndex.sortKey, type: AttributeType.STRING },
        },
        {
          indexName: tableDefinition.candidateIndex.name,
          partitionKey: { name: tableDefinition.candidateIndex.partitionKey, type: AttributeType.STRING },
          projectionType: ProjectionType.KEYS_ONLY,
        },
      ],
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // AWS-owned encryption (no customer-managed key): EventBridge archives refuse buses with a CMK.
    this.bus = new EventBus(this, 'EventBus', { eventBusName: `exec-eng-lead-${stage}` });
    // Every event on the bus, kept for replay after an outage (docs/operations.md#replaying-from-the-archive).
    this.archive = this.bus.archive('EventArchive', {
      archiveName: `exec-eng-lead-${stage}`,
      description: 'Every event on the exec-eng-lead bus, for replay',
      eventPattern: { account: [this.account] },
      retention: Duration.days(props.config.archiveRetentionDays),
    });

    const secrets = new Map<string, Secret>();
    // A JSON secret of named fields, each field's name mapped to it. The generated value is only a
    // placeholder until an operator pastes the real one.
    const addSecret = (secretName: string, description: string, fieldNames: string[]) => {
      if (secrets.has(secretName)) throw new Error(`Secret ${secretName} is defined twice`);
      const secret = new Secret(this, constructIdFor(secretName), {
        secretName: `exec-eng-lead/${stage}/${secretName}`,
        description,
        generateSecretString: { secretStringTemplate: '{}', generateStringKey: 'placeholder' },
      });
      secrets.set(secretName, secret);
      for (const name of fieldNames) secrets.set(name, secret);
    };
    // For one release only: the one-per-name secrets of earlier versions stay, and stay exported,
    // until the service stack no longer imports them (docs/deploy.md, "Moving to one … secret").
    const keepLegacySecrets = (names: string[], successor: string) => {
      for (const name of names) {
        const legacy = new Secret(this, constructIdFor(name), {
          secretName: `exec-eng-lead/${stage}/${name}`,
          description: `No longer read: copy its value into ${successor}.`,
        });
        this.exportValue(legacy.secretArn);
      }
    };
    // Every signing secret in one JSON secret (ADR 0012): a secret costs $0.40 a month whatever it holds.
    addSecret(
      SIGNING_SECRETS_NAME,
      'Signing secrets of the webhook sources and of Slack, as JSON: {"PAGERDUTY_WEBHOOK_SECRET": ["<secret>"], "SLACK_SIGNING_SECRET": ["<secret>"], ...}; several values per name while one is rotated.',
      signingSecretNames(),
    );
    if (props.config.legacySigningSecrets) keepLegacySecrets(signingSecretNames(), SIGNING_SECRETS_NAME);
    // The outbound credentials in one JSON secret of their own (ADR 0014): only the functions that
    // post, write or spend are granted it, never the inbound verifiers that need no credential.
    addSecret(
      SERVICE_CREDENTIALS_NAME,
      'Outbound credentials as JSON of strings: {"SLACK_BOT_TOKEN": "xoxb-...", "ANTHROPIC_API_KEY": "sk-ant-..." (with claudeWriter), ' +
        '"JIRA_API_TOKEN": "..." (with Jira write-back)}.',
      credentialNames(props.config),
    );
    // Docs: docs/deploy.md, "Moving to one service-credentials secret".
    if (props.config.legacyCredentialSecrets) keepLegacySecrets(credentialNames(props.config), SERVICE_CREDENTIALS_NAME);
    this.secrets = secrets;

    // What the runbooks (docs/operations.md) name: erasure needs the table, replay the archive and bus.
    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'TABLE_NAME for npm run forget' });
    new CfnOutput(this, 'EventBusArn', { value: this.bus.eventBusArn, description: 'Destination of an archive replay' });
    new CfnOutput(this, 'EventArchiveArn', { value: this.archive.archiveArn, description: 'Source of an archive replay (aws events start-replay)' });
  }
}

/** `PAGERDUTY_WEBHOOK_SECRET` -> `PagerdutyWebhookSecret`. */
function constructIdFor(secretName: string): string {
  return secretName
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}
