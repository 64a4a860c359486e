import { incidentAttentionStores } from '../../functions/adapters/dynamo-attention';
import { DynamoWriteClaims } from '../../functions/adapters/dynamo-write-claims';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoApprovalStore } from '../../functions/adapters/dynamo-approvals';
import { DynamoEscalationStore } from '../../functions/adapters/dynamo-escalations';
import { type Approval, approvalEvent } from '../../functions/approvals/approval';
import { DynamoStore } from '../../functions/adapters/dynamo-store';
import { LocalTimers } from '../../functions/adapters/local-timers';
import type { CanonicalEvent } from '../../functions/core/canonical-event';
import { loadEscalationConfig } from '../../functions/escalations/escalation-config';
import { type EscalationWorkerDeps, handleEscalationEvent, handleTimerFired, OVERDUE_SETTLE_MS } from '../../functions/escalations/escalation-worker';
import { TemplateWriter } from '../../functions/writer/template-writer';
import { InboxChat } from '../../functions/adapters/inbox-chat';
import { incidentBriefId } from '../../functions/incidents/document-ids';
import { handleIncidentEvent } from '../../functions/incidents/incident-worker';
import { createOutbox } from '../../functions/outbox/create-outbox';
import type { OutboxRecord } from '../../functions/ports/outbox';
import { freshTable } from '../support/dynamo';
import { incidentEventAt } from '../support/incident-events';
import { VirtualTime } from '../support/virtual-time';
import { outboxRecords } from '../support/outbox-items';

const CHANNEL = '#exec-escalations';
const start = new Date('2026-12-01T08:00:00.000Z');
const MINUTE = 60_000;

interface Harness {
  time: VirtualTime;
  inbox: InboxChat;
  timers: LocalTimers;
  deps: EscalationWorkerDeps;
  send(event: CanonicalEvent): Promise<void>;
  advance(ms: number): Promise<void>;
  /** Every outbox document, oldest first. */
  documents(): Promise<OutboxRecord[]>;
  /** Outbox documents for the escalation channel. */
  escalations(): Promise<OutboxRecord[]>;
  /** A new LocalTimers (and deps) on the same table and clock: the runtime restarted. */
  restart(): Promise<Harness>;
}

describe('escalation worker (DynamoDB Local, local timers, virtual time)', () => {
  let table: Awaited<ReturnType<typeof freshTable>>;

  beforeEach(async () => {
    table = await freshTable('escalations');
  });

  async function harness(options: { env?: Record<string, string>; time?: VirtualTime; inbox?: InboxChat; noBriefs?: boolean } = {}): Promise<Harness> {
    const time = options.time ?? new VirtualTime(start);
    const inbox = options.inbox ?? new InboxChat(() => time.now());
    // The real outbox, delivering to the local inbox; its pacing waits cost no virtual time.
    const { outbox } = createOutbox(table.db, table.tableName, inbox, () => {}, { timing: { now: () => time.now(), sleep: async () => {} } });
    const timers = new LocalTimers(table.db, table.tableName, { host: time, clock: time, retryDelaysMs: [] });
    const deps: EscalationWorkerDeps = {
      incidents: new DynamoStore(table.db, table.tableName),
      escalations: new DynamoEscalationStore(table.db, table.tableName),
      claims: new DynamoWriteClaims(table.db, table.tableName),
      timers,
      outbox,
      writer: new TemplateWriter(),
      clock: time,
      config: loadEscalationConfig({ SLACK_ESCALATION_USER_ID: 'U0VPENG', ...options.env }),
      incidentsChannel: '#incidents-exec',
      approvals: new DynamoApprovalStore(table.db, table.tableName),
    };
    timers.onFire(async (payload) => {
      await handleTimerFired(payload, deps);
    });
    await timers.restore();
    const documents = async () =>
      outboxRecords(await table.items())
        .map((item) => item as unknown as OutboxRecord)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    const self: Harness = {
      time,
      inbox,
      timers,
      deps,
      send: async (event) => {
        // The real incident worker posts the brief, the thread the escalation notice replies in.
        if (event.type.startsWith('incident.') && !options.noBriefs) {
          await handleIncidentEvent(event, {
            store: deps.incidents,
            outbox,
            writer: deps.writer,
            clock: time,
            channel: '#incidents-exec',
            ...incidentAttentionStores(table.db, table.tableName),
          });
        }
        await handleEscalationEvent(event, deps);
      },
      advance: (ms) => time.advance(ms, () => timers.idle()),
      documents,
      escalations: async () => (await documents()).filter((record) => record.channel === CHANNEL),
      restart: async () => {
        await timers.stop();
        return harness({ env: options.env, time, inbox });
      },
    };
    return self;
  }

  const ev = (type: string, minutes: number, priority = 'P1', incidentId = 'QESC1') => incidentEventAt(start, type, minutes, { priority, incidentId });

  it('an unacknowledged P1 is escalated once at 10 minutes: the message, the incident-thread notice, the record', async () => {
    const h = await harness();
    await h.send(ev('incident.triggered', 0));
    await h.advance(10 * MINUTE - 1000);
    expect(await h.escalations()).toHaveLength(0);
    await h.advance(1000);

    const [message] = await h.escalations();
    expect(await h.escalations()).toHaveLength(1);
    expect(message).toMatchObject({ id: 'escalation#pagerduty#QESC1#unacknowledged', kind: 'escalation' });
    expect(message?.text.startsWith('<@U0VPENG> ')).toBe(true);
    const body = JSON.stringify(message?.blocks);
    for (const heading of ['Why it is escalated', 'What is known', 'What is needed', 'By when', 'For stakeholders']) expect(body).toContain(heading);
    expect(body).toContain('Nobody has acknowledged this P1 incident 10 min after it was triggered');

    // Delivered through the real outbox to the (local) Slack: one message in the escalation channel.
    const posted = h.inbox.threads().filter(({ parent }) => parent.channel === CHANNEL);
    expect(posted.map(({ parent }) => parent.text)).toEqual([message?.text]);
    expect((await h.documents()).find((record) => record.id === message?.id)?.state).toBe('delivered');

    const notice = (await h.documents()).find((record) => record.kind === 'escalation.notice');
    expect(notice).toMatchObject({ channel: '#incidents-exec', parentId: incidentBriefId('pagerduty#QESC1'), state: 'delivered' });
    expect(notice?.text).toContain('Escalated to the VP of Engineering (#exec-escalations) because: Nobody has acknowledged');
    // It is a reply in the incident brief's own thread.
    const incidentThread = h.inbox.threads().find(({ parent }) => parent.channel === '#incidents-exec');
    expect(incidentThread?.replies.map((reply) => reply.text)).toContain(notice?.text);

    const record = (await table.items()).find((item) => item.pk === 'ESCALATION#pagerduty#QESC1');
    expect(record).toMatchObject({ rule: 'unacknowledged', firedAt: '2026-12-01T08:10:00.000Z', mode: 'single', messageId: message?.id });
    expect(record?.sentAt).toBeTypeOf('string');
    // The timer record is gone once it fired.
    expect((await table.items()).filter((item) => item.pk === 'TIMERS#PENDING').map((item) => item.sk)).toEqual(['escalation#pagerduty#QESC1#open-too-long']);
  });

  it('with no brief to reply to yet, the escalation still goes out and the notice is skipped', async () => {
    const h = await harness({ noBriefs: true });
    await h.send(ev('incident.triggered', 0));
    await h.advance(10 * MINUTE);
    expect(await h.escalations()).toHaveLength(1);
    expect((await h.documents()).filter((record) => record.kind === 'escalation.notice')).toEqual([]);
    expect((await table.items()).find((item) => item.pk === 'ESCALATION#pagerduty#QESC1')?.sentAt).toBeTypeOf('string');
  });

  it('an incident acknowledged at minute 9 of 10 is never escalated', async () => {
    const h = await harness();
    await h.send(ev('incident.triggered', 0));
    await h.advance(9 * MINUTE);
    await h.send(ev('incident.acknowledged', 9));
    await h.advance(60 * MINUTE);
    expect(await h.escalations()).toHaveLength(0);
  });

  it('a P2 is escalated at 30 minutes, and a P2 resolved at 29 never is', async () => {
    const h = await harness();
    await h.send(ev('incident.triggered', 0, 'P2', 'QP2A'));
    await h.send(ev('incident.triggered', 0, 'P2', 'QP2B'));
    await h.advance(29 * MINUTE);
    await h.send(ev('incident.resolved', 29, 'P2', 'QP2B'));
    await h.advance(MINUTE);
    expect((await h.escalations()).map((record) => record.id)).toEqual(['escalation#pagerduty#QP2A#unacknowledged']);
  });

  it('a P1 open for 4 hours is escalated even though acknowledged; one resolved at 3 h 59 is not', async () => {
    const h = await harness();
    await h.send(ev('incident.triggered', 0, 'P1', 'QOPEN'));
    await h.send(ev('incident.acknowledged', 2, 'P1', 'QOPEN'));
    await h.send(ev('incident.triggered', 0, 'P1', 'QFIXED'));
    await h.send(ev('incident.acknowledged', 3, 'P1', 'QFIXED'));
    await h.advance(239 * MINUTE);
    await h.send(ev('incident.resolved', 239, 'P1', 'QFIXED'));
    expect(await h.escalations()).toHaveLength(0);
    await h.advance(MINUTE);
    expect((await h.escalations()).map((record) => record.id)).toEqual(['escalation#pagerduty#QOPEN#open-too-long']);
    expect((await h.escalations())[0]?.text).toContain('Escalation');
  });

  it('a priority raised to P1 moves the timer to ten minutes after the raise', async () => {
    const h = await harness();
    await h.send(ev('incident.triggered', 0, 'P3'));
    await h.advance(5 * MINUTE);
    await h.send(ev('incident.priority_updated', 5, 'P1'));
    await h.advance(10 * MINUTE - 1000);
    expect(await h.escalations()).toHaveLength(0);
    await h.advance(1000);
    expect(await h.escalations()).toHaveLength(1);
    expect(JSON.stringify((await h.escalations())[0]?.blocks)).toContain('after it was raised to P1');
  });

  it("PagerDuty's incident.escalated escalates at once; a redelivery adds nothing; a second one goes into the thread", async () => {
    const h = await harness();
    await h.send(ev('incident.triggered', 0, 'P2'));
    const first = ev('incident.escalated', 2, 'P2');
    await h.send(first);
    await h.send(first);
    expect((await h.escalations()).filter((record) => record.kind === 'escalation')).toHaveLength(1);
    const second = ev('incident.escalated', 7, 'P2');
    await h.send(second);
    await h.send(second);
    const repeats = (await h.escalations()).filter((record) => record.kind === 'escalation.repeat');
    expect(repeats).toHaveLength(1);
    expect(repeats[0]).toMatchObject({ parentId: 'escalation#pagerduty#QESC1#pagerduty-escalated' });
    expect(repeats[0]?.text).toContain('PagerDuty escalated P2 incident #4211 again at 08:07 UTC');
    expect((await h.escalations()).filter((record) => record.kind === 'escalation')).toHaveLength(1);
  });

  it('redeliveries, a timer double fire and concurrent workers make one escalation', async () => {
    const h = await harness();
    const triggered = ev('incident.triggered', 0);
    await Promise.all([h.send(triggered), h.send(triggered), h.send(triggered)]);
    await h.advance(10 * MINUTE);
    const payload = { kind: 'incident', incidentKey: 'pagerduty#QESC1', rule: 'unacknowledged' };
    await handleTimerFired(payload, h.deps);
    await Promise.all(Array.from({ length: 5 }, () => handleTimerFired(payload, h.deps)));
    await h.send(triggered);
    expect(await h.escalations()).toHaveLength(1);
    const records = (await table.items()).filter((item) => String(item.pk).startsWith('ESCALATION#'));
    expect(records).toHaveLength(1);
  });

  it('concurrent first fires decide once, before any message exists', async () => {
    const h = await harness();
    await h.send(ev('incident.triggered', 0));
    await h.time.advance(10 * MINUTE); // the clock moves; the armed timer is left to the calls below
    const payload = { kind: 'incident', incidentKey: 'pagerduty#QESC1', rule: 'unacknowledged' };
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => handleTimerFired(payload, h.deps)));
    await h.timers.idle();
    expect(outcomes.every((outcome) => outcome === 'escalated')).toBe(true);
    expect(await h.escalations()).toHaveLength(1);
    expect((await table.items()).filter((item) => String(item.pk).startsWith('ESCALATION#'))).toHaveLength(1);
  });

  it('an incident heard of only after its deadline waits a short settle for the events behind it', async () => {
    const h = await harness();
    await h.time.advance(20 * MINUTE); // the webhooks arrive 20 minutes late, in one burst
    await h.send(ev('incident.triggered', 0, 'P1', 'QLATE1'));
    await h.send(ev('incident.triggered', 0, 'P1', 'QLATE2'));
    await h.advance(5000);
    await h.send(ev('incident.acknowledged', 7, 'P1', 'QLATE1'));
    await h.advance(OVERDUE_SETTLE_MS);
    expect((await h.escalations()).map((record) => record.id)).toEqual(['escalation#pagerduty#QLATE2#unacknowledged']);
  });

  it('a timer that fires after the condition cleared does nothing', async () => {
    const h = await harness();
    await h.send(ev('incident.triggered', 0));
    await h.send(ev('incident.acknowledged', 4));
    await h.advance(10 * MINUTE);
    expect(await handleTimerFired({ kind: 'incident', incidentKey: 'pagerduty#QESC1', rule: 'unacknowledged' }, h.deps)).toBe('cleared');
    expect(await h.escalations()).toHaveLength(0);
  });

  it('a restart mid-wait loses nothing: the timer is rebuilt from DynamoDB and fires on time, once', async () => {
    const h = await harness();
    await h.send(ev('incident.triggered', 0));
    await h.advance(4 * MINUTE);
    const restarted = await h.restart();
    expect(restarted.timers.pending()).toContain('escalation#pagerduty#QESC1#unacknowledged');
    await restarted.advance(6 * MINUTE - 1000);
    expect(await restarted.escalations()).toHaveLength(0);
    await restarted.advance(1000);
    expect(await restarted.escalations()).toHaveLength(1);
    await restarted.advance(60 * MINUTE);
    expect(await restarted.escalations()).toHaveLength(1);
  });

  it('one that fell due while the runtime was down fires at once on start', async () => {
    const h = await harness();
    await h.send(ev('incident.triggered', 0));
    await h.timers.stop();
    await h.time.advance(25 * MINUTE); // down: nothing armed
    expect(await h.escalations()).toHaveLength(0);
    const restarted = await h.restart();
    await restarted.advance(0);
    expect(await restarted.escalations()).toHaveLength(1);
    expect((await table.items()).find((item) => item.pk === 'ESCALATION#pagerduty#QESC1')?.firedAt).toBe('2026-12-01T08:25:00.000Z');
  });

  it('a storm: past 3 escalations in 15 minutes the next ones fold into one message, updated in place', async () => {
    const h = await harness();
    const ids = ['QS1', 'QS2', 'QS3', 'QS4', 'QS5', 'QS6'];
    for (const [i, id] of ids.entries()) await h.send(ev('incident.triggered', i, 'P1', id));
    await h.advance(20 * MINUTE);

    const singles = (await h.escalations()).filter((record) => record.kind === 'escalation');
    expect(singles.map((record) => record.id)).toEqual([
      'escalation#pagerduty#QS1#unacknowledged',
      'escalation#pagerduty#QS2#unacknowledged',
      'escalation#pagerduty#QS3#unacknowledged',
    ]);
    const storms = (await h.escalations()).filter((record) => record.kind === 'escalation.storm');
    expect(storms).toHaveLength(1);
    expect(storms[0]?.text).toContain('Several incidents need you: 3 more escalations');
    expect(storms[0]?.text.startsWith('<@U0VPENG>')).toBe(true);
    const stormBody = JSON.stringify(storms[0]?.blocks);
    for (const id of ['QS4', 'QS5', 'QS6']) expect(stormBody).toContain(`incidents/${id}`);
    // One Slack message, edited in place as the storm grew.
    const stormMessages = h.inbox.threads().filter(({ parent }) => parent.text.includes('Several incidents need you'));
    expect(stormMessages).toHaveLength(1);
    expect(stormMessages[0]?.parent.updatedAt).toBeTypeOf('string');
    expect(stormMessages[0]?.parent.text).toContain('3 more escalations');
    // Every incident with a brief still says in its thread that it was escalated; the sixth
    // incident in as many minutes joined the incident roll-up instead (INCIDENT_STORM_THRESHOLD 5).
    expect((await h.documents()).filter((record) => record.kind === 'escalation.notice')).toHaveLength(5);
    const folded = (await table.items()).filter((item) => String(item.pk).startsWith('ESCALATION#') && item.mode === 'storm');
    expect(folded.map((item) => item.messageId)).toEqual([storms[0]?.id, storms[0]?.id, storms[0]?.id]);
  });

  it('concurrent escalations of different incidents still respect the storm threshold', async () => {
    const h = await harness();
    const ids = ['QC1', 'QC2', 'QC3', 'QC4', 'QC5'];
    for (const id of ids) await h.send(ev('incident.triggered', 0, 'P1', id));
    await h.time.advance(10 * MINUTE);
    await Promise.all(ids.map((id) => handleTimerFired({ kind: 'incident', incidentKey: `pagerduty#${id}`, rule: 'unacknowledged' }, h.deps)));
    await h.timers.idle();
    expect((await h.escalations()).filter((record) => record.kind === 'escalation')).toHaveLength(3);
    const storm = (await h.escalations()).find((record) => record.kind === 'escalation.storm');
    expect(storm?.text).toContain('2 more escalations');
  });

  it('an approval that expired undecided is escalated to the escalation channel once; a decided one is not', async () => {
    const h = await harness();
    const approvals = new DynamoApprovalStore(table.db, table.tableName);
    const approval = (id: string): Approval => ({
      id,
      kind: 'budget request',
      triggerId: 'vp-approval',
      subject: { source: 'jira', id: `1${id.length}`, key: 'FIN-7', title: 'Annual log analytics licence', url: 'https://acme.atlassian.net/browse/FIN-7' },
      requester: 'Sam Okafor',
      approvers: ['U0LOCALVP'],
      status: 'pending',
      version: 1,
      createdAt: start.toISOString(),
      deadline: new Date(start.getTime() + 48 * 3_600_000).toISOString(),
      sourceEventId: `evt-${id}`,
    });
    for (const id of ['appr-expired', 'appr-approved']) await approvals.open(approval(id), start);
    const expired = await approvals.transition('appr-expired', { to: 'expired', action: 'expire', actor: 'system', at: start });
    const approved = await approvals.transition('appr-approved', { to: 'approved', action: 'approve', actor: 'U0LOCALVP', at: start });
    if (!expired.applied || !approved.applied) throw new Error('transitions did not apply');
    const event = approvalEvent(expired.approval);
    await Promise.all([h.send(event), h.send(event)]);
    await h.send(approvalEvent(approved.approval));
    // A stale `approval.expired` for an approval that was decided instead changes nothing.
    await h.send({ ...approvalEvent(approved.approval), type: 'approval.expired' });

    const escalations = await h.escalations();
    expect(escalations.map((record) => record.id)).toEqual(['escalation#approval#appr-expired#approval-expired']);
    const body = JSON.stringify(escalations[0]?.blocks);
    expect(body).toContain('No decision on this budget request before its deadline, 08:00 UTC, 3 Dec 2026');
    expect(body).toContain('For stakeholders');
    expect(escalations[0]?.text.startsWith('<@U0VPENG> ')).toBe(true);
  });
});
