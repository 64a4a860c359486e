import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signSlackRequest } from '../../functions/slack/inbound/verify-slack-signature';
import { LOCAL_APPROVER, LOCAL_NON_APPROVER, localQuestionEvent } from '../../local/slack-simulator';
import { E2E_SECRETS, runDemo, startServiceWithFakeSlack } from '../support/e2e-service';
import type { FakeSlack, FakeSlackMessage } from '../support/fake-slack';
import { type LocalProcess, waitFor } from '../support/local-process';

const SECRETS = E2E_SECRETS;
const DIGEST_CHANNEL = 'C0EXECDIGEST';
const LEADERS = 'C0LEADERS';

/** `15 s`, `4 min 28 s`, `20 min`, `1 h 05 min`, `2 d 3 h` (formatDuration's forms) in milliseconds. */
function durationMs(text: string | undefined): number {
  const units: Record<string, number> = { d: 86_400_000, h: 3_600_000, min: 60_000, s: 1_000 };
  const parts = [...(text ?? '').matchAll(/(\d+) (d|h|min|s)\b/g)];
  if (parts.length === 0) throw new Error(`not a duration: ${text}`);
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * (units[unit ?? ''] ?? 0), 0);
}

/** A message's text as the reader sees it: its blocks (mrkdwn), else its fallback text. */
const shown = (message: FakeSlackMessage | undefined): string => (message ? JSON.stringify(message.blocks ?? message.text).replace(/\\n/g, '\n') : '');

/**
 * The issue's "Done when", as a new user would try it: `npm start` against a fake Slack, `npm
 * run demo`, then questions as Slack delivers them (signed Events API callbacks to
 * POST /slack/events), each answer read from the question's thread and checked against the
 * digest the same service posts.
 */
describe('asking the chief of staff, tried as a new user (npm start → npm run demo → signed Slack events)', () => {
  let slack: FakeSlack;
  let service: LocalProcess;

  beforeAll(async () => {
    ({ slack, service } = await startServiceWithFakeSlack('ask', { SLACK_CHANNEL_DIGEST: DIGEST_CHANNEL }));
    await runDemo(service.url);
  }, 400_000);

  afterAll(async () => {
    await service?.stop();
    await slack?.close();
  });

  /** Posts the signed event and waits for the first reply in its thread (a DM's reply is top level after it). */
  async function ask(
    question: string,
    options: { as?: string; direct?: boolean } = {},
  ): Promise<{ status: number; answer: string; ms: number; replies: () => FakeSlackMessage[] }> {
    const channel = options.direct ? 'D0VPDM' : LEADERS;
    const ts = `${Math.floor(Date.now() / 1000)}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;
    const body = JSON.stringify(
      localQuestionEvent({ user: options.as ?? LOCAL_APPROVER, text: question, channel, ts, direct: options.direct ?? false, eventId: `Ev${randomUUID()}` }),
    );
    const before = slack.messages.length;
    const replies = () => slack.messages.slice(before).filter((m) => m.channel === channel && (options.direct ? !m.thread_ts : m.thread_ts === ts));
    const started = performance.now();
    const response = await fetch(`${service.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signSlackRequest(body, SECRETS.SLACK_SIGNING_SECRET, new Date()) },
      body,
    });
    await waitFor(
      () => replies().length > 0,
      () => `an answer to "${question}"\n${service.output().slice(-2000)}`,
      30_000,
    );
    const ms = Math.round(performance.now() - started);
    const answer = shown(replies()[0]);
    console.log(
      `Q: ${question} (${options.as ?? LOCAL_APPROVER}${options.direct ? ', direct message' : `, in ${channel}`}) → answered in ${ms} ms\n${answer}\n`,
    );
    return { status: response.status, answer, ms, replies };
  }

  /** A fresh digest from the same service, as posted. */
  async function digestNow(): Promise<{ text: string; at: number }> {
    const before = slack.messages.filter((m) => m.channel === DIGEST_CHANNEL && !m.thread_ts).length;
    const at = Date.now();
    expect((await fetch(`${service.url}/local/digest`, { method: 'POST' })).status).toBeLessThan(300);
    const posts = () => slack.messages.filter((m) => m.channel === DIGEST_CHANNEL && !m.thread_ts);
    await waitFor(
      () => posts().length > before,
      () => 'the digest',
      30_000,
    );
    return { text: shown(posts().at(-1)), at };
  }

  it('"what needs me today?": the open P1, the approvals waiting and the error budget, each as the digest says it', async () => {
    const digest = await digestNow();
    const { status, answer } = await ask('what needs me today?');
    expect(status).toBe(200);
    // Figures that keep counting (how long open, downtime while the P1 is open) may have moved on by
    // the seconds between the digest and the answer, never more and never back.
    const since = Date.now() - digest.at;
    const close = (answered: string | undefined, digested: string | undefined) => {
      const [a, d] = [durationMs(answered), durationMs(digested)];
      const slack = since + (/\d+ s$/.test(digested ?? '') ? 1_000 : 60_000);
      expect(a - d, `${answered} in the answer, ${digested} in the digest`).toBeGreaterThanOrEqual(0);
      expect(a - d, `${answered} in the answer, ${digested} in the digest`).toBeLessThanOrEqual(slack);
    };

    // The open P1: the digest's "Still open" line, as the answer's first incident.
    const [, p1, title, service] = /Still open: (#\d+) (.+?) \(P1, ([^)]+)\), open for/.exec(digest.text) ?? [];
    expect(p1, digest.text).toBeDefined();
    expect(answer).toContain(`*P1 ${p1} open;`);
    expect(answer).toContain(`P1 ${p1} ${title} (${service}): open for`);

    // The approvals waiting: the same count, the same oldest, waiting as long.
    const [, count, oldest, waited] = /(\d+ approvals waiting); oldest: (.+?), waiting ([^"\n]+)/.exec(digest.text) ?? [];
    expect(count, digest.text).toBeDefined();
    expect(answer).toContain(`${count?.replace('waiting', 'waiting for you')}`);
    const answered = new RegExp(`${count}; oldest: ${(oldest ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, waiting ([^"\\n]+)`).exec(answer);
    expect(answered, answer).not.toBeNull();
    close(answered?.[1], waited);

    // The error budget: the same SLO and budget, the same downtime and overspend.
    const budget = /Availability this month ([\d.]+)% against a ([\d.]+%) SLO: (.+?) of downtime; error budget (.+?), used (.+?) \((\d+)%\)/;
    const [d, a] = [budget.exec(digest.text), budget.exec(answer)];
    expect(d, digest.text).not.toBeNull();
    expect(a, answer).not.toBeNull();
    expect(a?.[2]).toBe(d?.[2]);
    expect(a?.[4]).toBe(d?.[4]);
    close(a?.[3], d?.[3]);
    close(a?.[5], d?.[5]);
    // An open P1 only lowers availability and raises the share of the budget used.
    expect(Number(a?.[1])).toBeLessThanOrEqual(Number(d?.[1]));
    expect(Number(a?.[6])).toBeGreaterThanOrEqual(Number(d?.[6]));
    const overspent = /Error budget overspent by ([^"\n]+)/;
    if (overspent.test(digest.text)) close(overspent.exec(answer)?.[1], overspent.exec(digest.text)?.[1]);
    else expect(answer).toContain('of error budget left this month');
  }, 120_000);

  it('"how are we tracking on DORA this month?": the four DORA figures and the trend the digest shows', async () => {
    const digest = await digestNow();
    const { answer } = await ask('how are we tracking on DORA this month?');
    // The trends are the digest's, line for line: both are the 8 weeks ending now.
    for (const trend of [/Deployments per week, last 8 weeks: [^"\n]+/, /Lead time per week \(median\), last 8 weeks: [^"\n]+/]) {
      const line = trend.exec(digest.text)?.[0];
      expect(line, String(trend)).toBeDefined();
      expect(answer).toContain(line);
    }
    // The four figures, over this month so far. The digest's are over its own period (here the last
    // 24 hours), so the counts match only when nothing of the demo's week falls between the month's
    // start and a day ago: they are compared on the digest's window below, not on this one.
    expect(answer).toContain('this month so far');
    for (const figure of ['Deployment frequency: ', 'Change lead time: ', 'Change failure rate: ', 'Failed deployment recovery time: ']) {
      expect(answer).toContain(figure);
    }

    // Asked about the digest's own window, the four figures are the digest's.
    const { answer: day } = await ask('how are we tracking on DORA over the last 24 hours?');
    for (const figure of [/Change lead time: [^"\n]+/, /Change failure rate: [^"\n]+/, /Failed deployment recovery time: [^"\n]+/]) {
      const line = figure.exec(digest.text)?.[0];
      expect(line, String(figure)).toBeDefined();
      expect(day).toContain(line);
    }
    // Deployment frequency: the same count and level; the per-day rate follows each window's exact length.
    const frequency = /Deployment frequency: (\d+ production deployments in the period) \([^)]*\), ([^"\n]+)/;
    const [d, a] = [frequency.exec(digest.text), frequency.exec(day)];
    expect(d, digest.text).not.toBeNull();
    expect(a?.[1]).toBe(d?.[1]);
    expect(a?.[2]).toBe(d?.[2]);
  }, 120_000);

  it('a direct message from someone not allowed gets the refusal and nothing else', async () => {
    const { answer, replies } = await ask('what needs me today?', { as: LOCAL_NON_APPROVER, direct: true });
    expect(answer).toContain('Sorry, I can only answer the engineering leadership team.');
    // Nothing else: one reply, no figure, no incident, no approval.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(replies()).toHaveLength(1);
    expect(answer).not.toMatch(/\d|#|approval|incident|budget/i);
  }, 120_000);
});
