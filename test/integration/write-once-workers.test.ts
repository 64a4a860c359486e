import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoApprovalStore } from '../../functions/adapters/dynamo-approvals';
import { DynamoEscalationStore } from '../../functions/adapters/dynamo-escalations';
import { DynamoStore } from '../../functions/adapters/dynamo-store';
import { DynamoWriteClaims } from '../../functions/adapters/dynamo-write-claims';
import { InboxChat } from '../../functions/adapters/inbox-chat';
import { approvalEvent } from '../../functions/approvals/approval';
import { loadApprovalConfig } from '../../functions/approvals/approval-config';
import { type ApprovalWorkerDeps, handleApprovalWorkerEvent } from '../../functions/approvals/approval-worker';
import type { CanonicalEvent } from '../../functions/core/canonical-event';
import { loadDigestConfig } from '../../functions/digest/digest-config';
import { runDigest } from '../../functions/digest/digest-runner';
import { loadEscalationConfig } from '../../functions/escalations/escalation-config';
import { type EscalationWorkerDeps, handleTimerFired } from '../../functions/escalations/escalation-worker';
import { findSource } from '../../functions/sources/registry';
import { ClaudeWriter, createAnthropicClient } from '../../functions/writer/claude-writer';
import { TemplateWriter } from '../../functions/writer/template-writer';
import { type FakeAnthropic, startFakeAnthropic } from '../../local/fake-anthropic';
import { pagerDutyIncidentScenario } from '../../local/scenarios/pagerduty-incident';
import { TemplateModelWriter } from '../../local/template-model';
import { jiraTransition } from '../../scripts/load/mix';
import { freshTable } from '../support/dynamo';
import { incidentEventAt } from '../support/incident-events';
import { testOutbox } from '../support/outbox-harness';

/** Tuesday 24 Nov 2026, 09:30 in New York. */
const NOW = new Date('2026-11-24T14:30:00Z');
/** When the escalated incident was triggered. */
const START = new Date('2026-11-24T08:00:00.000Z');

let fake: FakeAnthropic;
beforeAll(async () => {
  fake = await startFakeAnthropic();
});
afterAll(async () => {
  await fake.stop();
});

/**
 * The real ClaudeWriter against the fake Messages API, each answer taking 300 ms as a model's
 * would: long enough for the second run to reach the writer while the first is still waiting.
 */
async function world(name: string, clock: { now: () => Date } = { now: () => NOW }) {
  fake.reset();
  const client = createAnthropicClient({ apiKey: 'fake-anthropic-key-for-tests', baseURL: fake.baseURL, maxRetries: 0, timeoutMs: 20_000 });
  const writer = new TemplateModelWriter(fake, new ClaudeWriter({ client, model: 'claude-sonnet-5-5', fallback: new TemplateWriter() }), { delayMs: 300 });
  const table = await freshTable(name);
  const chat = new InboxChat(() => clock.now());
  const { outbox } = testOutbox(table, chat, clock);
  return { table, chat, outbox, writer, clock, store: new DynamoStore(table.db, table.tableName), claims: new DynamoWriteClaims(table.db, table.tableName) };
}

const messageCalls = () => fake.requests.filter((request) => request.path.endsWith('/messages')).length;

describe('one model call per document in the digest, escalation and approval workers', () => {
  it('digest: a second run that takes over a lapsed period lease while the first is still writing waits for its digest', async () => {
    // Time runs (from NOW) so the first run's 1 ms period lease lapses while its model call is out.
    const startedAt = Date.now();
    const w = await world('once-digest', { now: () => new Date(NOW.getTime() + Date.now() - startedAt) });
    for (const delivery of pagerDutyIncidentScenario({ incidentId: 'QONCEDIG', start: new Date('2026-11-24T02:00:00Z') })) {
      const normalized = findSource('pagerduty')?.normalize(JSON.parse(delivery.body), delivery.deliveryId);
      if (normalized && !normalized.ignored) for (const event of normalized.events) await w.store.appendIncidentEvent(`pagerduty#${event.subject.id}`, event);
    }
    const deps = {
      store: w.store,
      approvals: new DynamoApprovalStore(w.table.db, w.table.tableName),
      ledger: w.store,
      writer: w.writer,
      outbox: w.outbox,
      claims: w.claims,
      clock: w.clock,
      config: loadDigestConfig({}),
      leaseMs: 1,
    };
    const first = runDigest(deps);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = runDigest(deps);
    const outcomes = await Promise.all([first, second]);

    expect(outcomes.map((outcome) => outcome.id)).toEqual([outcomes[0]?.id, outcomes[0]?.id]);
    expect(messageCalls()).toBe(1);
    expect(w.chat.threads().filter((thread) => thread.parent.channel === '#exec-digest')).toHaveLength(1);
  });

  it('escalation: two fires of one timer at once write the escalation once', async () => {
    const w = await world('once-escalation', { now: () => new Date(START.getTime() + 11 * 60_000) });
    const triggered = incidentEventAt(START, 'incident.triggered', 0, { incidentId: 'QONCEESC', priority: 'P1' });
    await w.store.appendIncidentEvent('pagerduty#QONCEESC', triggered);
    const deps: EscalationWorkerDeps = {
      incidents: w.store,
      escalations: new DynamoEscalationStore(w.table.db, w.table.tableName),
      claims: w.claims,
      timers: { schedule: async () => {}, cancel: async () => {} },
      outbox: w.outbox,
      writer: w.writer,
      clock: w.clock,
      config: loadEscalationConfig({}),
      incidentsChannel: '#incidents-exec',
    };
    const fire = () => handleTimerFired({ kind: 'incident', incidentKey: 'pagerduty#QONCEESC', rule: 'unacknowledged' }, deps);
    expect(await Promise.all([fire(), fire()])).toEqual(['escalated', 'escalated']);

    expect(messageCalls()).toBe(1);
    expect(w.chat.threads().filter((thread) => thread.parent.channel === '#exec-escalations')).toHaveLength(1);
  });

  it('approval: a trigger delivered twice at once writes one request, and its expiry delivered twice writes one escalation', async () => {
    const w = await world('once-approval');
    const approvals = new DynamoApprovalStore(w.table.db, w.table.tableName);
    const published: CanonicalEvent[] = [];
    const deps: ApprovalWorkerDeps = {
      approvals,
      chat: w.chat,
      outbox: w.outbox,
      writer: w.writer,
      bus: { publish: async (events) => void published.push(...events) },
      clock: w.clock,
      config: loadApprovalConfig({ SLACK_APPROVER_IDS: 'U0VPAAAAA' }),
      claims: w.claims,
    };
    const delivery = jiraTransition(1, 'Awaiting VP Approval', NOW);
    const normalized = findSource('jira')?.normalize(JSON.parse(delivery.body), delivery.deliveryId);
    const [trigger] = normalized && !normalized.ignored ? normalized.events : [];
    if (!trigger) throw new Error('the Jira transition normalised to no event');
    await Promise.all([handleApprovalWorkerEvent(trigger, deps), handleApprovalWorkerEvent(trigger, deps)]);
    expect(messageCalls()).toBe(1);

    const [pending] = await approvals.pending();
    if (!pending) throw new Error('no approval was opened');
    const expired = await approvals.transition(pending.id, { to: 'expired', action: 'expire', actor: 'system', at: NOW });
    if (!expired.applied) throw new Error('the approval did not expire');
    const event = approvalEvent(expired.approval);
    await Promise.all([handleApprovalWorkerEvent(event, deps), handleApprovalWorkerEvent(event, deps)]);

    expect(messageCalls()).toBe(2);
    const [thread, ...others] = w.chat.threads();
    expect(others).toHaveLength(0);
    expect(thread?.replies).toHaveLength(1);
  });
});
