import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../local/runtime';
import { deliveryAndHiringScenario } from '../../local/scenarios/delivery-and-hiring';
import { sendDelivery } from '../../local/scenarios/send';
import type { ScenarioDelivery } from '../../local/scenarios/signers';

/**
 * The local inbox in a real browser: a Jira issue moved to "Awaiting VP Approval" posts an
 * approval request; its Approve/Reject buttons go through the Slack simulator (signed,
 * Slack-format interactions to `POST /slack/interactions`) and the approval worker on the bus.
 */
const JIRA_SECRET = 'fake-jira-secret-for-tests';
const SLACK_SECRET = 'fake-slack-signing-secret-for-tests';
const APPROVER = 'U0LOCALVP';
const GUEST = 'U0LOCALGUEST';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** The scenario's Jira transition into "Awaiting VP Approval", for a given issue id and key. */
function jiraTransition(issueId: string, key: string): ScenarioDelivery {
  const [jira] = deliveryAndHiringScenario();
  if (!jira || jira.source !== 'jira') throw new Error('the scenario no longer starts with a Jira delivery');
  const body = JSON.parse(jira.body) as { issue: { id: string; key: string; self: string } };
  body.issue.id = issueId;
  body.issue.key = key;
  body.issue.self = `https://acme.atlassian.net/rest/api/2/issue/${issueId}`;
  return { source: 'jira', deliveryId: `jira-${issueId}-${randomUUID()}`, body: JSON.stringify(body) };
}

describe.skipIf(!existsSync(CHROMIUM))(`approvals in the local inbox, in Chromium (skipped: no browser at ${CHROMIUM})`, () => {
  let runtime: LocalRuntime;
  let browser: Browser;
  let page: Page;

  const inboxAs = (user: string) => `${runtime.url}/?as=${encodeURIComponent(user)}`;
  /** The thread whose message names the Jira issue `key`. */
  const threadFor = (key: string): Locator => page.locator('article.thread', { hasText: key });

  async function openRequest(issueId: string, key: string): Promise<void> {
    const result = await sendDelivery(runtime.url, jiraTransition(issueId, key), JIRA_SECRET);
    expect(result.status, JSON.stringify(result.body)).toBe(202);
    await runtime.bus.drain();
  }

  /** Clicks a form's submit button and waits for the redirect back to the inbox; returns that URL. */
  async function submitAndFollow(button: Locator): Promise<URL> {
    const [response] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/' && r.request().method() === 'GET', { timeout: 10_000 }),
      button.click(),
    ]);
    await page.waitForLoadState('load');
    return new URL(response.url());
  }

  /** Drains the bus and reloads the inbox until `done()` holds (bounded: 20 × 100 ms). */
  async function reloadUntil(user: string, done: () => Promise<boolean>, what: string): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) {
      await runtime.bus.drain();
      await page.goto(inboxAs(user));
      if (await done()) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`timed out waiting for ${what}; the page shows:\n${await page.locator('body').innerText()}`);
  }

  beforeAll(async () => {
    runtime = await startLocalRuntime({
      PORT: '0',
      HOST: '127.0.0.1',
      DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
      TABLE_NAME: `browser-${randomUUID()}`,
      JIRA_WEBHOOK_SECRET: JIRA_SECRET,
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      SLACK_APPROVER_IDS: APPROVER,
      APPROVAL_EXPIRY_INTERVAL_MS: '3600000',
    });
    expect(new URL(runtime.url).hostname).toBe('127.0.0.1');
    await openRequest('31001', 'FIN-88');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
      ],
    });
    page = await browser.newPage();
    page.setDefaultTimeout(10_000);
  });

  afterAll(async () => {
    await browser?.close();
    await runtime?.close();
  });

  it('shows the pending request with Approve and Reject buttons', async () => {
    await page.goto(inboxAs(APPROVER));
    const thread = threadFor('FIN-88');
    await expect.poll(() => thread.count()).toBe(1);
    expect(await thread.getByRole('button', { name: 'Approve', exact: true }).count()).toBe(1);
    expect(await thread.getByRole('button', { name: 'Reject', exact: true }).count()).toBe(1);
  });

  it('refuses a non-approver: a private notice, and the buttons stay', async () => {
    await page.goto(inboxAs(GUEST));
    const landed = await submitAndFollow(threadFor('FIN-88').getByRole('button', { name: 'Approve', exact: true }));
    expect(landed.searchParams.get('as')).toBe(GUEST);
    expect(landed.searchParams.get('slack')).toBe('200');

    const notice = page.getByRole('status').filter({ hasText: 'not an approver' });
    await reloadUntil(GUEST, async () => (await notice.count()) > 0, 'the "not an approver" notice');
    expect(await notice.first().innerText()).toMatch(
      /^Only visible to you: You are not an approver for this request, so nothing changed\. Approvers: @U0LOCALVP\.$/,
    );
    expect(await threadFor('FIN-88').getByRole('button', { name: 'Approve', exact: true }).count()).toBe(1);
    // The notice is the guest's alone.
    await page.goto(inboxAs(APPROVER));
    expect(await page.getByRole('status').filter({ hasText: 'not an approver' }).count()).toBe(0);
  });

  it('lets the approver approve: the message shows who approved, and its buttons are gone', async () => {
    await page.goto(inboxAs(APPROVER));
    const landed = await submitAndFollow(threadFor('FIN-88').getByRole('button', { name: 'Approve', exact: true }));
    expect(landed.searchParams.get('as')).toBe(APPROVER);
    expect(landed.searchParams.get('slack')).toBe('200');

    const thread = threadFor('FIN-88');
    await reloadUntil(APPROVER, async () => (await thread.filter({ hasText: 'Approved by @U0LOCALVP' }).count()) > 0, '"Approved by @U0LOCALVP"');
    expect(await thread.innerText()).toMatch(/✅ Approved by @U0LOCALVP at \S/);
    expect(await thread.getByRole('button', { name: 'Approve', exact: true }).count()).toBe(0);
    expect(await thread.getByRole('button', { name: 'Reject', exact: true }).count()).toBe(0);
  });

  it('asks the approver for a reason on Reject and shows the rejection with it', async () => {
    await openRequest('31002', 'FIN-89');
    await page.goto(inboxAs(APPROVER));
    const thread = threadFor('FIN-89');
    const landed = await submitAndFollow(thread.getByRole('button', { name: 'Reject', exact: true }));
    expect(landed.searchParams.get('slack')).toBe('200');

    const modal = page.locator('form.modal');
    await expect.poll(() => modal.count()).toBe(1);
    expect(await modal.innerText()).toContain('Why are you rejecting "FIN-89"?');

    // The modal belongs to the approver who clicked: another user does not see it.
    await page.goto(inboxAs(GUEST));
    expect(await page.locator('form.modal').count()).toBe(0);
    await page.goto(inboxAs(APPROVER));

    // A blank reason keeps the modal open with Slack's field error, as Slack would.
    await modal.getByRole('textbox', { name: 'Reason' }).fill('     ');
    await submitAndFollow(modal.getByRole('button', { name: 'Reject', exact: true }));
    expect(await page.getByRole('alert').innerText()).toContain('Please give a reason');
    expect(await modal.count()).toBe(1);

    const reason = 'Over budget & not in the Q3 plan';
    await modal.getByRole('textbox', { name: 'Reason' }).fill(reason);
    const submitted = await submitAndFollow(modal.getByRole('button', { name: 'Reject', exact: true }));
    expect(submitted.searchParams.get('slack')).toBe('200');

    await reloadUntil(APPROVER, async () => (await thread.filter({ hasText: 'Rejected by @U0LOCALVP' }).count()) > 0, '"Rejected by @U0LOCALVP"');
    const text = await thread.innerText();
    expect(text).toMatch(/❌ Rejected by @U0LOCALVP at \S/);
    expect(text).toContain(`Reason: ${reason}`);
    expect(await thread.getByRole('button').count()).toBe(0);
    expect(await page.locator('form.modal').count()).toBe(0);
    // The first request is untouched by the second decision.
    expect(await threadFor('FIN-88').innerText()).toContain('Approved by @U0LOCALVP');
  });
});
