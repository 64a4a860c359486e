import { Stack, TimeZone } from 'aws-cdk-lib';
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

/** `0 9 ? * MON-FRI *` → the CronOptionsWithTimezone fields EventBridge Scheduler takes. */
export function schedulerCron(expression: string, timeZone: string) {
  const [minute, hour, day, month, weekDay, year] = expression.trim().split(/\s+/);
  return {
    minute,
    hour,
    ...(day && day !== '?' ? { day } : {}),
    month,
    ...(weekDay && weekDay !== '?' ? { weekDay } : {}),
    year,
    timeZone: TimeZone.of(timeZone),
  };
}
