import { Stack } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/**
 * A role EventBridge Scheduler assumes to invoke one of our functions. Only Scheduler acting
 * for this account may assume it (no confused deputy); what it may invoke is granted by the caller.
 */
export function schedulerRole(scope: Construct, id: string, description: string): Role {
  return new Role(scope, id, {
    assumedBy: new ServicePrincipal('scheduler.amazonaws.com', { conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } } }),
    description,
  });
}
