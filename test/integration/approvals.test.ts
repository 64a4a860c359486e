import { EnvSecrets } from '../../functions/adapters/env-secrets';
import { readFileSync } from 'node:fs';
import { DynamoWriteClaims } from '../../functions/adapters/dynamo-write-claims';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoApprovalStore } from '../../functions/adapters/dynamo-approvals';
import { DynamoStore } from '../../functions/adapters/dynamo-store';
import { InboxChat } from '../../functions/adapters/inbox-chat';
import { JiraRest } from '../../functions/adapters/jira-rest';
import { LocalBus } from '../../functions/adapters/local-bus';
import { loadApprovalConfig } from '../../functions/approvals/approval-config';
import { handleApprovalWorkerEvent } from '../../functions/approvals/approval-worker';
import { expireOverdue, remindUndecided } from '../../functions/approvals/expiry';
import { formatInstant } from '../../functions/core/durations';
import { handleSlackInteraction } from '../../functions/approvals/interactions';
import { APPROVE_ACTION, REASON_ACTION, REASON_BLOCK, REJECT_ACTION, REJECT_REASON_CALLBACK } from '../../functions/approvals/render-approval';
import type { CanonicalEvent } from '../../functions/core/canonical-event';
import type { HttpRequest } from '../../functions/core/http';
import { routes } from '../../functions/core/routing';
import { normalizeGreenhouseEvent } from '../../functions/sources/greenhouse/normalize';
import { normalizeJiraEvent } from '../../functions/sources/jira/normalize';
import { buildBlockActionsBody, buildViewSubmissionBody } from '../../local/slack-interaction-payloads';
import { signSlackRequest } from '../../functions/slack/inbound/verify-slack-signature';
import type { Writer } from '../../functions/ports/writer';
import { TemplateWriter } from '../../functions/writer/template-writer';
import { type FakeJira, startFakeJira } from '../../local/fake-jira';
import { freshTable } from '../support/dynamo';
import { testOutbox } from '../support/outbox-harness';

const SIGNING_SECRET = 'fake-slack-signing-secret-for-tests';
const VP = 'U0VPAAAAA';
const CTO = 'U0CTOAAAA';
const GUEST = 'U0GUESTAA';
const CHANNEL = '#exec-approvals';

let fakeJira: FakeJira;
beforeAll(async () => {
  fakeJira = await startFakeJira();
});
afterAll(async () => {
  await fakeJira.stop();
});

/** The whole approval path on DynamoDB Local: bus, worker, interactions, with a clock the test moves. */
async function setup(env: Record<string, string> = {}, writerFor?: (approvals: DynamoApprovalStore) => Writer) {
  const table = await freshTable('approvals');
  const approvals = new DynamoApprovalStore(table.db, table.tableName);
  const chat = new InboxChat();
  let now = new Date('2026-11-24T09:00:00Z');
  const clock = { now: () => now };
  const { outbox } = testOutbox(table, chat, clock);
  const claims = new DynamoWriteClaims(table.db, table.tableName);
  const config = loadApprovalConfig({ SLACK_APPROVER_IDS: `${VP},${CTO}`, SLACK_CHANNEL_APPROVALS: CHANNEL, ...env });
  const published: CanonicalEvent[] = [];
  const tracker = config.writeBack.enabled
    ? new JiraRest({ baseUrl: fakeJira.baseUrl, email: 'bot@example.com', apiToken: 'fake-jira-token-for-tests' })
    : undefined;
  const bus: LocalBus = new LocalBus(
    routes,
    {
      incident: async () => {},
      history: async () => {},
      escalation: async () => {},
      answer: async () => {},
      approval: (event) => {
        published.push(event);
        return handleApprovalWorkerEvent(event, {
          approvals,
          chat,
          outbox,
          writer: writerFor?.(approvals) ?? new TemplateWriter(),
          bus,
          clock,
          config,
          tracker,
          claims,
        });
      },
    },
    { retryDelaysMs: [] },
  );
  const interactionDeps = { approvals, chat, outbox, bus, clock, secrets: new EnvSecrets({ SLACK_SIGNING_SECRET: SIGNING_SECRET }) };
  const signed = (body: string, at = now): HttpRequest => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...signSlackRequest(body, SIGNING_SECRET, at) },
    body: Buffer.from(body),
  });
  const click = async (user: string, approvalId: string, actionId = APPROVE_ACTION) => {
    const response = await handleSlackInteraction(
      signed(buildBlockActionsBody({ userId: user, actionId, value: approvalId, triggerId: `trig-${user}-${Math.random()}` })),
      interactionDeps,
    );
    return response;
  };
  const submitReason = async (user: string, approvalId: string, reason: string) =>
    handleSlackInteraction(
      signed(
        buildViewSubmissionBody({
          userId: user,
          callbackId: REJECT_REASON_CALLBACK,
          privateMetadata: approvalId,
          values: { [REASON_BLOCK]: { [REASON_ACTION]: reason } },
        }),
      ),
      interactionDeps,
    );
  /** Publishes like ingest would, then waits for every worker. */
  const deliver = async (event: CanonicalEvent) => {
    await bus.publish([event]);
    await bus.drain();
  };
  const onlyApproval = async () => {
    const pending = await approvals.pending();
    expect(pending).toHaveLength(1);
    const approval = await approvals.get(pending[0]?.id ?? '');
    if (!approval) throw new Error('approval missing');
    return approval;
  };
  return {
    table,
    approvals,
    chat,
    bus,
    config,
    published,
    click,
    submitReason,
    deliver,
    onlyApproval,
    interactionDeps,
    signed,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
    now: () => now,
  };
}

const jiraFixture = () => JSON.parse(readFileSync('test/fixtures/jira/issue-updated-status.json', 'utf8'));

/** A Jira transition of issue `key` from one status to another, through the real normaliser. */
function jiraTransition(from: string, to: string, options: { key?: string; project?: string; changelogId?: string } = {}): CanonicalEvent {
  const payload = jiraFixture();
  const item = payload.changelog.items.find((i: { field: string }) => i.field === 'status');
  Object.assign(item, { fromString: from, toString: to });
  if (options.changelogId) payload.changelog.id = options.changelogId;
  if (options.key) payload.issue.key = options.key;
  if (options.project) payload.issue.fields.project.key = options.project;
  const normalized = normalizeJiraEvent(payload, `delivery-${from}-${to}-${options.changelogId ?? ''}`);
  if (normalized.ignored) throw new Error(normalized.reason);
  const event = normalized.events.find((e) => e.type === 'issue.transitioned');
  if (!event) throw new Error('no transition');
  return event;
}

const intoApproval = (options: { key?: string; changelogId?: string } = {}) => jiraTransition('In Review', 'Awaiting VP Approval', options);

const hasButtons = (chat: InboxChat) => JSON.stringify(chat.threads()[0]?.parent.blocks).includes(APPROVE_ACTION);
const messageText = (chat: InboxChat) => JSON.stringify(chat.threads()[0]?.parent.blocks);

describe('triggers', () => {
  it('a Jira issue moved into "Awaiting VP Approval" opens one approval and posts the case with Approve/Reject, once', async () => {
    const { approvals, chat, deliver, onlyApproval } = await setup();
    const event = intoApproval();
    await deliver(event);
    await deliver(event); // a redelivery opens nothing new

    const approval = await onlyApproval();
    expect(approval).toMatchObject({
      kind: 'VP approval',
      status: 'pending',
      version: 1,
      approvers: [VP, CTO],
      subject: { source: 'jira', key: event.subject.key },
    });
    expect(new Date(approval.deadline).getTime() - new Date(approval.createdAt).getTime()).toBe(48 * 3_600_000);
    expect(chat.threads()).toHaveLength(1);
    expect(chat.threads()[0]?.parent.channel).toBe(CHANNEL);
    expect(messageText(chat)).toContain(approval.id);
    expect(hasButtons(chat)).toBe(true);
    // The issue description quotes an e-mail address; the request shows the text with it masked.
    expect(messageText(chat)).toContain('Contact [email removed] for logs');
    expect((await approvals.audit(approval.id)).map((entry) => entry.action)).toEqual(['opened']);
  });

  it('a candidate moved to an Offer stage opens an offer approval that an erasure of the candidate removes', async () => {
    const { table, approvals, deliver, onlyApproval } = await setup();
    const payload = JSON.parse(readFileSync('test/fixtures/greenhouse/candidate-stage-change.json', 'utf8'));
    payload.payload.application.current_stage.name = 'Offer';
    const normalized = normalizeGreenhouseEvent(payload, 'gh-offer-1');
    if (normalized.ignored) throw new Error('ignored');
    const [event] = normalized.events as [CanonicalEvent];
    await deliver(event);

    const approval = await onlyApproval();
    expect(approval.kind).toBe('offer');
    expect(approval.candidateKey).toBe(`greenhouse:${String(event.facts.candidateId)}`);
    // Like every record about a candidate, the offer approval and its trail expire with hiring data.
    const expiry = Date.parse(approval.createdAt) / 1000 + 180 * 86_400;
    const items = (await table.items()).filter((item) => String(item.pk).startsWith('APPROVAL'));
    expect(items.length).toBeGreaterThanOrEqual(3);
    for (const item of items) expect(item.expiresAt).toBe(expiry);

    const deleted = await new DynamoStore(table.db, table.tableName).forgetCandidate(approval.candidateKey ?? '');
    expect(deleted.length).toBeGreaterThanOrEqual(3); // state, pending pointer, audit entry
    expect(await approvals.get(approval.id)).toBeUndefined();
    expect(await approvals.pending()).toEqual([]);
  });

  it('honours per-project triggers: another project opens nothing', async () => {
    const triggers = [{ id: 'fin-budget', source: 'jira', status: 'Awaiting VP Approval', projects: ['FIN'], label: 'budget request', deadlineHours: 24 }];
    const { approvals, deliver } = await setup({ APPROVALS_CONFIG: JSON.stringify({ triggers }) });
    await deliver(jiraTransition('In Review', 'Awaiting VP Approval', { project: 'OPS' }));
    expect(await approvals.pending()).toEqual([]);
    await deliver(jiraTransition('In Review', 'Awaiting VP Approval', { project: 'FIN', key: 'FIN-88', changelogId: '2' }));
    const [pending] = await approvals.pending();
    expect((await approvals.get(pending?.id ?? ''))?.kind).toBe('budget request');
  });
});

describe('decisions', () => {
  it('refuses a click from someone who is not an approver, tells them privately, and records the attempt', async () => {
    const { approvals, chat, click, deliver, bus, onlyApproval } = await setup();
    await deliver(intoApproval());
    const approval = await onlyApproval();

    expect((await click(GUEST, approval.id)).status).toBe(200);
    await bus.drain();

    expect((await approvals.get(approval.id))?.status).toBe('pending');
    expect(hasButtons(chat)).toBe(true);
    expect(chat.notices).toEqual([expect.objectContaining({ user: GUEST, text: expect.stringContaining('not an approver') })]);
    expect(await approvals.audit(approval.id)).toContainEqual(
      expect.objectContaining({ actor: GUEST, action: 'approve', outcome: 'refused', detail: 'not_an_approver', toStatus: 'pending' }),
    );
  });

  it('ten concurrent Approve clicks make exactly one decision; the other nine are refused and told who decided', async () => {
    const { approvals, chat, click, deliver, bus, published, onlyApproval } = await setup();
    await deliver(intoApproval());
    const approval = await onlyApproval();

    const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => click(i % 2 === 0 ? VP : CTO, approval.id)));
    await bus.drain();

    expect(responses.every((response) => response.status === 200)).toBe(true);
    const decided = await approvals.get(approval.id);
    expect(decided).toMatchObject({ status: 'approved', version: 2 });
    expect([VP, CTO]).toContain(decided?.decidedBy);
    const audit = await approvals.audit(approval.id);
    expect(audit.filter((entry) => entry.outcome === 'applied' && entry.action === 'approve')).toHaveLength(1);
    expect(audit.filter((entry) => entry.outcome === 'refused' && entry.detail === 'already_approved')).toHaveLength(9);
    expect(published.filter((event) => event.type === 'approval.decided')).toHaveLength(1);
    expect(hasButtons(chat)).toBe(false);
    expect(messageText(chat)).toContain(`Approved* by <@${decided?.decidedBy}>`);
    expect(chat.notices).toHaveLength(9);
    expect(chat.notices.every((notice) => notice.text.includes('Approved'))).toBe(true);
  });

  it('approve then reject: the reject is refused (no modal) and recorded; the decision stands', async () => {
    const { approvals, chat, click, submitReason, deliver, bus, onlyApproval } = await setup();
    await deliver(intoApproval());
    const approval = await onlyApproval();
    await click(VP, approval.id);
    await click(CTO, approval.id, REJECT_ACTION);
    // A forged modal submission is refused the same way.
    await submitReason(CTO, approval.id, 'too expensive');
    await bus.drain();

    expect(chat.modals.size).toBe(0);
    expect(await approvals.get(approval.id)).toMatchObject({ status: 'approved', decidedBy: VP });
    const refused = (await approvals.audit(approval.id)).filter((entry) => entry.outcome === 'refused');
    expect(refused.map((entry) => [entry.actor, entry.action, entry.detail])).toEqual([
      [CTO, 'reject', 'already_approved'],
      [CTO, 'reject', 'already_approved'],
    ]);
  });

  it('Reject asks for a reason in a modal and records it; the message shows it', async () => {
    const { approvals, chat, click, submitReason, deliver, bus, onlyApproval } = await setup();
    await deliver(intoApproval());
    const approval = await onlyApproval();

    await click(CTO, approval.id, REJECT_ACTION);
    const [modal] = [...chat.modals.values()];
    expect(modal).toMatchObject({ callbackId: REJECT_REASON_CALLBACK, privateMetadata: approval.id });
    expect((await approvals.get(approval.id))?.status).toBe('pending');

    const tooShort = await submitReason(CTO, approval.id, ' ');
    expect(tooShort.body).toMatchObject({ response_action: 'errors' });
    await submitReason(CTO, approval.id, 'Not this quarter: <@channel> the budget is frozen');
    await bus.drain();

    expect(await approvals.get(approval.id)).toMatchObject({ status: 'rejected', decidedBy: CTO, reason: 'Not this quarter: <@channel> the budget is frozen' });
    // Escaped, and the broadcast word defused with a word joiner.
    expect(messageText(chat)).toContain('Reason: Not this quarter: &lt;@\u2060channel&gt; the budget is frozen');
  });
});

describe('when the bus is down', () => {
  it('keeps the decision and still shows it in the message (buttons removed) if approval.decided cannot be published', async () => {
    const { approvals, chat, deliver, onlyApproval, interactionDeps, signed } = await setup();
    await deliver(intoApproval());
    const approval = await onlyApproval();
    const downBus = { publish: async () => Promise.reject(new Error('PutEvents failed: InternalFailure')) };

    const response = await handleSlackInteraction(signed(buildBlockActionsBody({ userId: VP, actionId: APPROVE_ACTION, value: approval.id })), {
      ...interactionDeps,
      bus: downBus,
    });

    expect(response.status).toBe(200);
    expect((await approvals.get(approval.id))?.status).toBe('approved');
    expect(hasButtons(chat)).toBe(false);
    expect(messageText(chat)).toContain(`Approved* by <@${VP}>`);
  });
});

describe('signature and input checks', () => {
  it('answers 401 to a stale timestamp and to a bad signature, 405 to GET, 400 to a malformed payload; nothing changes', async () => {
    const { approvals, deliver, onlyApproval, interactionDeps, signed, now } = await setup();
    await deliver(intoApproval());
    const approval = await onlyApproval();
    const body = buildBlockActionsBody({ userId: VP, actionId: APPROVE_ACTION, value: approval.id });

    const stale = await handleSlackInteraction(signed(body, new Date(now().getTime() - 301_000)), interactionDeps);
    const forged = await handleSlackInteraction({ ...signed(body), body: Buffer.from(body.replace(VP, CTO)) }, interactionDeps);
    const get = await handleSlackInteraction({ ...signed(body), method: 'GET' }, interactionDeps);
    const malformed = await handleSlackInteraction(signed('payload=%7Bnot-json'), interactionDeps);

    expect(stale).toEqual({ status: 401, body: { error: 'request timestamp is more than 5 minutes from now' } });
    expect(forged.status).toBe(401);
    expect(get.status).toBe(405);
    expect(malformed).toMatchObject({ status: 400, body: { error: expect.stringContaining('payload') } });
    expect(await approvals.get(approval.id)).toMatchObject({ status: 'pending', version: 1 });
    expect(await approvals.audit(approval.id)).toHaveLength(1);
  });
});

describe('cancellation and expiry', () => {
  it('cancels the pending approval when the issue leaves the approval status, and says so in the message', async () => {
    const { approvals, chat, deliver, published, onlyApproval, click, bus } = await setup();
    await deliver(intoApproval());
    const approval = await onlyApproval();
    await deliver(jiraTransition('Awaiting VP Approval', 'In Progress', { changelogId: '99' }));

    expect(await approvals.get(approval.id)).toMatchObject({ status: 'cancelled', decidedBy: 'system' });
    expect(published.map((event) => event.type)).toContain('approval.cancelled');
    expect(messageText(chat)).toContain('Cancelled');
    expect(hasButtons(chat)).toBe(false);
    await click(VP, approval.id);
    await bus.drain();
    expect((await approvals.get(approval.id))?.status).toBe('cancelled');
  });

  it('a request cancelled while it was being written is posted showing the cancellation, never with live buttons', async () => {
    let now = new Date('2026-11-24T09:00:00Z');
    // A slow writer: while it writes, the issue leaves the approval status (another delivery).
    const cancellingWriter = (store: DynamoApprovalStore): Writer => ({
      write: async (request) => {
        const [pending] = await store.pending();
        if (pending) await store.transition(pending.id, { to: 'cancelled', action: 'cancel', actor: 'system', at: now, reason: 'moved back to In Review' });
        return new TemplateWriter().write(request);
      },
    });
    const { approvals, chat, deliver } = await setup({}, cancellingWriter);
    await deliver(intoApproval());
    now = new Date(now.getTime() + 1000);

    const [thread] = chat.threads();
    expect(thread?.parent.updatedAt).toBeDefined();
    expect(hasButtons(chat)).toBe(false);
    expect(messageText(chat)).toContain('Cancelled');
    expect(await approvals.pending()).toEqual([]);
  });

  it('expires a pending approval past its deadline, publishes approval.expired, and refuses later clicks', async () => {
    const { approvals, chat, deliver, published, onlyApproval, advance, bus, click, interactionDeps } = await setup();
    await deliver(intoApproval());
    const approval = await onlyApproval();

    expect(await expireOverdue(interactionDeps)).toEqual([]);
    advance(48 * 3_600_000 + 1000);
    expect(await expireOverdue(interactionDeps)).toEqual([approval.id]);
    await bus.drain();

    expect(await approvals.get(approval.id)).toMatchObject({ status: 'expired' });
    expect(published.filter((event) => event.type === 'approval.expired')).toHaveLength(1);
    expect(messageText(chat)).toContain('Expired');
    // Escalated once, in the request's thread.
    const replies = chat.threads()[0]?.replies ?? [];
    expect(replies).toHaveLength(1);
    expect(JSON.stringify(replies[0]?.blocks)).toContain('Why it is escalated');
    expect(JSON.stringify(replies[0]?.blocks)).toContain('No decision on this VP approval before its deadline');
    await click(VP, approval.id);
    await bus.drain();
    expect(chat.notices.at(-1)?.text).toContain('Expired');
    expect(await expireOverdue(interactionDeps)).toEqual([]);
    // A redelivered approval.expired does not escalate twice.
    const expiredEvent = published.find((event) => event.type === 'approval.expired');
    if (expiredEvent) await bus.publish([expiredEvent]);
    await bus.drain();
    expect(chat.threads()[0]?.replies).toHaveLength(1);
  });
});

describe('Jira write-back', () => {
  it('comments with the decision and applies the configured transition, once', async () => {
    fakeJira.reset();
    const writeBack = { enabled: true, baseUrl: 'https://acme.atlassian.net', email: 'bot@example.com', transitions: { approved: '31' } };
    const { deliver, click, bus, onlyApproval, published } = await setup({ APPROVALS_CONFIG: JSON.stringify({ writeBack }) });
    await deliver(intoApproval());
    const approval = await onlyApproval();
    await click(VP, approval.id);
    await bus.drain();
    // A redelivered approval.decided event does not write back twice.
    const decided = published.find((event) => event.type === 'approval.decided');
    if (decided) await bus.publish([decided]);
    await bus.drain();

    const key = approval.subject.key ?? '';
    expect(fakeJira.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      `POST /rest/api/3/issue/${key}/comment`,
      `POST /rest/api/3/issue/${key}/transitions`,
    ]);
    expect(JSON.stringify(fakeJira.requests[0]?.body)).toContain(`Approved in Slack by user ${VP}`);
    expect(fakeJira.requests[1]?.body).toEqual({ transition: { id: '31' } });
  });
});

describe('halfway reminder', () => {
  const HOUR = 3_600_000;
  const replies = (chat: InboxChat) => chat.threads()[0]?.replies ?? [];

  it('reminds the approvers once in the request thread at half the deadline, however many passes run', async () => {
    const { chat, deliver, onlyApproval, advance, bus, interactionDeps, published } = await setup();
    await deliver(intoApproval());
    const approval = await onlyApproval();

    advance(24 * HOUR);
    // Two passes at once, then a later one: one claim wins, the others find it done.
    const passes = await Promise.all([remindUndecided(interactionDeps), remindUndecided(interactionDeps)]);
    expect(passes.flat()).toEqual([approval.id]);
    advance(5 * 60_000);
    expect(await remindUndecided(interactionDeps)).toEqual([]);
    await bus.drain();

    expect(replies(chat)).toHaveLength(1);
    const reminder = JSON.stringify(replies(chat)[0]);
    expect(reminder).toContain(`<@${VP}>`);
    expect(reminder).toContain(`<@${CTO}>`);
    expect(reminder).toContain('has no decision yet');
    expect(reminder).toContain(`It expires at ${formatInstant(approval.deadline)}`);
    // A redelivered ask posts nothing more.
    const ask = published.find((event) => event.type === 'approval.reminder');
    if (!ask) throw new Error('no reminder event');
    await bus.publish([ask]);
    await bus.drain();
    expect(replies(chat)).toHaveLength(1);

    // At the deadline the escalation follows in the same thread; no second reminder.
    advance(24 * HOUR);
    await expireOverdue(interactionDeps);
    expect(await remindUndecided(interactionDeps)).toEqual([]);
    await bus.drain();
    expect(replies(chat)).toHaveLength(2);
    expect(JSON.stringify(replies(chat)[1])).toContain('Why it is escalated');
  });

  it('sends nothing before half the deadline', async () => {
    const { chat, deliver, onlyApproval, advance, bus, interactionDeps } = await setup();
    await deliver(intoApproval());
    const approval = await onlyApproval();

    advance(24 * HOUR - 60_000);
    expect(await remindUndecided(interactionDeps)).toEqual([]);
    await bus.drain();
    expect(replies(chat)).toHaveLength(0);
    advance(60_000);
    expect(await remindUndecided(interactionDeps)).toEqual([approval.id]);
  });

  it('sends nothing when the approval was decided before half the deadline', async () => {
    const { approvals, chat, deliver, onlyApproval, advance, bus, click, interactionDeps } = await setup();
    await deliver(intoApproval());
    const approval = await onlyApproval();
    advance(HOUR);
    await click(VP, approval.id);
    await bus.drain();
    expect((await approvals.get(approval.id))?.status).toBe('approved');

    advance(30 * HOUR);
    expect(await remindUndecided(interactionDeps)).toEqual([]);
    await bus.drain();
    expect(replies(chat)).toHaveLength(0);
  });
});
