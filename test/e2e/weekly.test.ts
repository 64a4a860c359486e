import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo, startServiceWithFakeSlack } from '../support/e2e-service';
import type { FakeSlack } from '../support/fake-slack';
import type { LocalProcess } from '../support/local-process';

describe('weekly update, tried as a new user (npm start → npm run demo → POST /local/weekly)', () => {
  let slack: FakeSlack;
  let service: LocalProcess;

  beforeAll(async () => {
    ({ slack, service } = await startServiceWithFakeSlack('weekly', { SLACK_CHANNEL_WEEKLY: 'C0EXECSTAFF' }));
  }, 150_000);

  afterAll(async () => {
    await service?.stop();
    await slack?.close();
  });

  it('posts the hand-counted rework, investment shares and after-hours pages, and latest.md holds the same figures', async () => {
    // The demo itself posts the weekly update at its end.
    const demo = await runDemo(service.url);
    expect(demo.stdout).toContain('Weekly update for the E-staff (POST /local/weekly) → 201');
    const posts = slack.calls.filter((call) => call.method === 'chat.postMessage' && call.args.channel === 'C0EXECSTAFF');
    expect(posts).toHaveLength(1);
    const text = JSON.stringify(posts[0]?.args.blocks);
    const figures = [
      'Deployment rework rate: 33% (2 of 6',
      '10 Jira issues completed this week (previous week 4)',
      'Feature: 40% (4 of 10; previous week 50%',
      'Tech debt: 20% (2 of 10; previous week 25%',
      'Keep the lights on: 20% (2 of 10; previous week 25%',
      'Unplanned / incident follow-up: 10% (1 of 10',
      'Uncategorised: 10% (1 of 10',
      'Platform 4',
      'Search 1',
      'Longest run for one person: paged 3 nights or weekends in a row',
    ];
    for (const figure of figures) expect(text).toContain(figure);
    const markdown = await (await fetch(`${service.url}/local/weekly/latest.md`)).text();
    for (const figure of figures) expect(markdown).toContain(figure);
    const availability = /Availability this week (\d+\.\d{3}%)/.exec(text)?.[1];
    expect(availability).toBeDefined();
    expect(markdown).toContain(`Availability this week ${availability}`);
  }, 300_000);
});
