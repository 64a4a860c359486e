import { createHash } from 'node:crypto';
import {
  ActionAfterCompletion,
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  FlexibleTimeWindowMode,
  ResourceNotFoundException,
  type SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import type { TimerPayload, Timers } from '../ports/timers';

export interface SchedulerTimersOptions {
  /** The schedule group of these timers (their own, so grants can be limited to it). */
  groupName: string;
  /** The execution role Scheduler assumes to invoke the target. */
  roleArn: string;
  /** The function a fired timer invokes; read per call (Lambda learns its own ARN on invocation). */
  targetArn: () => string;
  /** Where Scheduler sends an invocation it could not deliver after its retries. */
  deadLetterArn?: string;
}

/** Scheduler names: 1-64 of letters, digits, `-`, `_`, `.`. */
const NAME_LIMIT = 64;

/**
 * Timers as one-time EventBridge Scheduler schedules: `at(...)` in UTC, no flexible window,
 * deleted by Scheduler after they fire. The target receives `{ "timer": { id, ...payload } }`.
 */
export class SchedulerTimers implements Timers {
  constructor(
    private readonly client: SchedulerClient,
    private readonly options: SchedulerTimersOptions,
  ) {}

  async schedule(id: string, dueAt: Date, payload: TimerPayload): Promise<void> {
    const input = this.scheduleInput(id, dueAt, payload);
    try {
      await this.client.send(new CreateScheduleCommand(input));
    } catch (error) {
      // Already scheduled (a redelivery, or the due time moved): make it say what we say now.
      if (!(error instanceof ConflictException)) throw error;
      await this.client.send(new UpdateScheduleCommand(input));
    }
  }

  async cancel(id: string): Promise<void> {
    try {
      await this.client.send(new DeleteScheduleCommand({ Name: scheduleName(id), GroupName: this.options.groupName }));
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
  }

  private scheduleInput(id: string, dueAt: Date, payload: TimerPayload): CreateScheduleCommandInput {
    return {
      Name: scheduleName(id),
      GroupName: this.options.groupName,
      ScheduleExpression: atExpression(dueAt),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: FlexibleTimeWindowMode.OFF },
      ActionAfterCompletion: ActionAfterCompletion.DELETE,
      Description: `exec-eng-lead timer ${id}`.slice(0, 512),
      Target: {
        Arn: this.options.targetArn(),
        RoleArn: this.options.roleArn,
        Input: JSON.stringify({ timer: { ...payload, id } }),
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 6 * 3600 },
        ...(this.options.deadLetterArn ? { DeadLetterConfig: { Arn: this.options.deadLetterArn } } : {}),
      },
    };
  }
}

/** `at(yyyy-mm-ddThh:mm:ss)`, rounded up to the next whole second so it never fires early. */
export function atExpression(dueAt: Date): string {
  const seconds = Math.ceil(dueAt.getTime() / 1000) * 1000;
  return `at(${new Date(seconds).toISOString().slice(0, 19)})`;
}

/** A valid, deterministic schedule name for a timer id; long ids keep a readable prefix and a hash. */
export function scheduleName(id: string): string {
  const cleaned = id.replace(/[^0-9A-Za-z_.-]+/g, '-');
  if (cleaned.length <= NAME_LIMIT && cleaned === id) return cleaned;
  const hash = createHash('sha256').update(id).digest('hex').slice(0, 12);
  return `${cleaned.slice(0, NAME_LIMIT - hash.length - 1)}-${hash}`;
}
