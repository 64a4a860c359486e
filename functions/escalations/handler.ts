import { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { Context } from 'aws-lambda';
import { SchedulerTimers } from '../adapters/scheduler-timers';
import { canonicalEventSchema } from '../core/canonical-event';
import { required } from '../core/env';
import { logger, logTo } from '../core/logger';
import { canonicalEventId, instrumented } from '../core/lambda-handler';
import { once } from '../core/once';
import { loadEscalationConfig } from './escalation-config';
import { ESCALATION_LAMBDA_ENV } from './escalation-partitions';
import { type EscalationWorkerDeps, handleEscalationEvent, handleTimerFired } from './escalation-worker';
import { LambdaEnv } from '../core/lambda-env';
import { lambdaWorkerInfrastructure } from '../wiring/lambda-infrastructure';
import { escalationWorkerDeps } from '../wiring/worker-deps';

// A bad threshold fails the cold start with a message naming the variable.
const config = loadEscalationConfig(process.env);
/** Lambda learns its own ARN from the first invocation; timers it creates target that. */
let ownArn = '';
const timers = new SchedulerTimers(new SchedulerClient({}), {
  groupName: required(process.env, ESCALATION_LAMBDA_ENV.scheduleGroup),
  roleArn: required(process.env, ESCALATION_LAMBDA_ENV.schedulerRoleArn),
  deadLetterArn: process.env[ESCALATION_LAMBDA_ENV.timerDeadLetterArn] || undefined,
  targetArn: () => ownArn,
});

const infrastructure = lambdaWorkerInfrastructure();
const dependencies = once(async (): Promise<EscalationWorkerDeps> =>
  escalationWorkerDeps(await infrastructure(), {
    timers,
    config,
    incidentsChannel: required(process.env, LambdaEnv.slackChannelIncidents),
    log: logTo('warn'),
  }),
);

/** What a one-time schedule created by SchedulerTimers delivers. */
interface TimerInvocation {
  timer: Record<string, string>;
}

function isTimerInvocation(event: unknown): event is TimerInvocation {
  return typeof event === 'object' && event !== null && typeof (event as TimerInvocation).timer === 'object';
}

/**
 * Two callers: EventBridge (an incident event from the routing table) and Scheduler (a timer
 * that fell due). Errors rethrow so either retries, then dead-letters.
 */
export const handler = instrumented(correlationId, async (event: unknown, context?: Context): Promise<void> => {
  // An alias or version suffix would pin timers to an old version: target the function itself.
  if (context) ownArn ||= context.invokedFunctionArn.split(':').slice(0, 7).join(':');
  const deps = await dependencies();
  if (isTimerInvocation(event)) {
    const outcome = await handleTimerFired(event.timer, deps);
    logger.info('escalation timer fired', { id: event.timer.id, outcome });
    return;
  }
  const detail = canonicalEventSchema.parse((event as { detail?: unknown }).detail);
  await handleEscalationEvent(detail, deps);
  logger.info('incident event checked for escalation', { type: detail.type, incident: detail.subject.id });
});

/** A timer's id (which names the incident and rule), or the canonical event id. */
function correlationId(event: unknown): string | undefined {
  return isTimerInvocation(event) ? event.timer.id : canonicalEventId(event as { detail?: unknown });
}
