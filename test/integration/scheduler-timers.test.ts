import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { atExpression, scheduleName, SchedulerTimers } from '../../functions/adapters/scheduler-timers';
import { type FakeScheduler, startFakeScheduler } from '../support/fake-scheduler';

const GROUP = 'exec-eng-lead-escalations';
const ROLE = 'arn:aws:iam::123456789012:role/escalation-scheduler';
const TARGET = 'arn:aws:lambda:us-east-1:123456789012:function:escalation';
const DLQ = 'arn:aws:sqs:us-east-1:123456789012:escalation-timer-dead-letters';

describe('SchedulerTimers (real @aws-sdk/client-scheduler → fake Scheduler on 127.0.0.1)', () => {
  let fake: FakeScheduler;
  let client: SchedulerClient;
  let timers: SchedulerTimers;

  beforeAll(async () => {
    fake = await startFakeScheduler();
    client = new SchedulerClient({ endpoint: fake.url, region: 'us-east-1', credentials: { accessKeyId: 'fake', secretAccessKey: 'fake' }, maxAttempts: 1 });
    timers = new SchedulerTimers(client, { groupName: GROUP, roleArn: ROLE, targetArn: () => TARGET, deadLetterArn: DLQ });
  });

  afterAll(async () => {
    client.destroy();
    await fake.close();
  });

  it('creates a one-time at() schedule in its group, off flexible window, deleted after completion', async () => {
    const id = 'escalation#pagerduty#Q1#unacknowledged';
    await timers.schedule(id, new Date('2026-12-01T08:10:00.250Z'), { kind: 'incident', incidentKey: 'pagerduty#Q1', rule: 'unacknowledged' });
    expect(scheduleName(id)).toMatch(/^escalation-pagerduty-Q1-unacknowledged-[0-9a-f]{12}$/);
    const created = fake.schedules.get(`${GROUP}/${scheduleName(id)}`);
    expect(created).toMatchObject({
      GroupName: GROUP,
      ScheduleExpression: 'at(2026-12-01T08:10:01)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      ActionAfterCompletion: 'DELETE',
      Target: { Arn: TARGET, RoleArn: ROLE, DeadLetterConfig: { Arn: DLQ } },
    });
    const input = JSON.parse(String((created?.Target as { Input: string }).Input)) as unknown;
    expect(input).toEqual({ timer: { id: 'escalation#pagerduty#Q1#unacknowledged', kind: 'incident', incidentKey: 'pagerduty#Q1', rule: 'unacknowledged' } });
  });

  it('moves an existing schedule (conflict → update) instead of failing', async () => {
    const id = 'escalation#pagerduty#Q2#unacknowledged';
    await timers.schedule(id, new Date('2026-12-01T08:30:00Z'), { kind: 'incident', incidentKey: 'pagerduty#Q2', rule: 'unacknowledged' });
    await timers.schedule(id, new Date('2026-12-01T08:15:00Z'), { kind: 'incident', incidentKey: 'pagerduty#Q2', rule: 'unacknowledged' });
    expect(fake.requests.filter((r) => r.path.includes(encodeURIComponent(scheduleName(id)))).map((r) => r.method)).toEqual(['POST', 'POST', 'PUT']);
    expect(fake.schedules.get(`${GROUP}/${scheduleName(id)}`)?.ScheduleExpression).toBe('at(2026-12-01T08:15:00)');
  });

  it('cancels by deleting from its group; an already gone schedule is not an error', async () => {
    const id = 'escalation#pagerduty#Q3#open-too-long';
    await timers.schedule(id, new Date('2026-12-01T12:00:00Z'), { kind: 'incident', incidentKey: 'pagerduty#Q3', rule: 'open-too-long' });
    await timers.cancel(id);
    expect(fake.schedules.has(`${GROUP}/${scheduleName(id)}`)).toBe(false);
    await expect(timers.cancel(id)).resolves.toBeUndefined();
    const deletes = fake.requests.filter((r) => r.method === 'DELETE');
    expect(deletes.at(-1)?.path).toContain(`groupName=${GROUP}`);
  });

  it('names are valid for Scheduler (1-64 of [0-9A-Za-z_.-]), stable, and distinct for distinct ids', () => {
    const long = `escalation#pagerduty#${'Q'.repeat(80)}#unacknowledged`;
    for (const id of ['escalation#pagerduty#Q1#unacknowledged', long, 'a:b c']) {
      expect(scheduleName(id)).toMatch(/^[0-9A-Za-z_.-]{1,64}$/);
      expect(scheduleName(id)).toBe(scheduleName(id));
    }
    expect(scheduleName(`${long}x`)).not.toBe(scheduleName(long));
    expect(scheduleName('escalation#a#b')).not.toBe(scheduleName('escalation-a-b'));
    expect(atExpression(new Date('2026-12-01T08:10:00.000Z'))).toBe('at(2026-12-01T08:10:00)');
  });
});
