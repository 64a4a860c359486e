import { type CfnElement, type Stack, Validations } from 'aws-cdk-lib';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IConstruct } from 'constructs';
import type { AppStacks } from './build-app';

/** One reviewed exception to an AwsSolutions rule. */
export interface NagAcknowledgment {
  id: string;
  reason: string;
}

export const nagReasons = {
  vendorSecretRotation: {
    id: 'AwsSolutions-SMG4',
    reason:
      'The value is issued by a vendor (webhook signing secret, Slack bot token, Anthropic API key) and can only be ' +
      "rotated in that vendor's console; an operator pastes the new value. A rotation Lambda has nothing to rotate against.",
  },
  webhookAuthByHmac: {
    id: 'AwsSolutions-APIG4',
    reason:
      'Webhook senders cannot present IAM, JWT or Lambda-authorizer credentials. Every delivery is authenticated by the ' +
      "vendor's HMAC signature, which IngestFunction verifies over the raw body before anything is stored or published.",
  },
  slackAuthBySignature: {
    id: 'AwsSolutions-APIG4',
    reason:
      "Slack cannot present IAM, JWT or Lambda-authorizer credentials. Every interaction and event is authenticated by Slack's v0 " +
      'signature (HMAC-SHA256 over timestamp and raw body, 5-minute window), verified before anything is read or written.',
  },
  failureQueueHasNoDlq: {
    id: 'AwsSolutions-SQS3',
    reason:
      'This queue is itself where failures land (EventBridge target dead-letter queue or Lambda on-failure destination); ' +
      'a dead-letter queue behind it would add nothing.',
  },
} as const satisfies Record<string, NagAcknowledgment>;

/**
 * The IAM5 finding for `grantReadWriteData`'s `<table>/index/*` resource in a consuming stack.
 * After synthesis the table ARN there is an import, so the finding names the export; `exportValue`
 * returns the same import CDK creates for the reference (it does not add a second export).
 */
export function tableIndexWildcard(producer: Stack, tableArn: string): NagAcknowledgment {
  const imported: unknown = producer.resolve(producer.exportValue(tableArn));
  const exportName = (imported as { 'Fn::ImportValue'?: unknown })['Fn::ImportValue'];
  if (typeof exportName !== 'string') {
    throw new Error(`Expected the table ARN to cross stacks as Fn::ImportValue, got ${JSON.stringify(imported)}`);
  }
  return {
    id: `AwsSolutions-IAM5[Resource::${exportName}/index/*]`,
    reason:
      'grantReadWriteData also covers the table\'s secondary indexes as "<table ARN>/index/*". The wildcard is limited to ' +
      'indexes of this one table (byTime and byCandidate), never other tables.',
  };
}

/** The IAM5 finding for a scheduler role that may invoke one function and its versions (`<arn>:*`). */
export function functionVersionsWildcard(stack: Stack, fn: LambdaFunction): NagAcknowledgment {
  const logicalId = stack.getLogicalId(fn.node.defaultChild as CfnElement);
  return {
    id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
    reason: 'EventBridge Scheduler\'s Lambda target grants invoke on the one function and its versions ("<function ARN>:*"); no other function.',
  };
}

/** The IAM5 finding for the escalation worker's grant on its own schedule group (`<group>/*`). */
export function scheduleGroupWildcard(groupName: string): NagAcknowledgment {
  return {
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${groupName}/*]`,
    reason:
      'Escalation timers are one-time schedules created at run time, one per incident and rule, so their names are not known at deploy time. ' +
      'The wildcard covers only schedules in the escalation group, which holds nothing else.',
  };
}

/** An exception and the construct it is recorded on (it covers that construct's subtree). */
export interface PlannedAcknowledgment {
  scope: IConstruct;
  acknowledgment: NagAcknowledgment;
}

/**
 * Every cdk-nag exception of the app, each on the narrowest construct it applies to, so a new
 * resource with the same problem still fails synth.
 */
export function nagAcknowledgments({ stateful, service }: AppStacks): PlannedAcknowledgment[] {
  const planned: PlannedAcknowledgment[] = [];
  const add = (scope: IConstruct, acknowledgment: NagAcknowledgment) => planned.push({ scope, acknowledgment });

  // Every secret of the stack once (the signing-secrets secret is mapped under several names; upgrade-only ones are in no map).
  for (const secret of stateful.node.findAll().filter((c) => c instanceof Secret)) add(secret, nagReasons.vendorSecretRotation);
  for (const route of service.webhookRoutes) add(route, nagReasons.webhookAuthByHmac);
  for (const route of [...service.interactionRoutes, ...service.slackEventRoutes]) add(route, nagReasons.slackAuthBySignature);
  add(service.expirySchedulerRole, functionVersionsWildcard(service, service.approvalExpiry.fn));
  add(service.digestSchedulerRole, functionVersionsWildcard(service, service.digest.fn));
  add(service.outbox.schedulerRole, functionVersionsWildcard(service, service.outbox.sweeper.fn));
  add(service.weekly.schedulerRole, functionVersionsWildcard(service, service.weekly.fn.fn));
  for (const queue of service.failureQueues) add(queue, nagReasons.failureQueueHasNoDlq);
  add(service.escalations.worker.role, scheduleGroupWildcard(service.escalations.scheduleGroup.scheduleGroupName));

  const indexWildcard = tableIndexWildcard(stateful, stateful.table.tableArn);
  // The approval functions are scoped by partition key instead and have no index access at all.
  for (const fn of [service.ingest, service.incidentWorker, service.historyWorker]) add(fn.role, indexWildcard);
  return planned;
}

/** Records every exception from `nagAcknowledgments` with CDK's `Validations.acknowledge`. */
export function acknowledgeNagFindings(stacks: AppStacks): void {
  for (const { scope, acknowledgment } of nagAcknowledgments(stacks)) {
    Validations.of(scope).acknowledge(acknowledgment);
  }
}
