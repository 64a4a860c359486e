import { randomUUID } from 'node:crypto';
import { describe, expect, inject, it } from 'vitest';
import { describeLoad, runLoad } from '../../scripts/load/run-load';

/**
 * The load run of `npm run load`, kept small for npm test (200 webhooks; the script sends
 * 1,000): signed webhooks across every source, 30% redeliveries, 16 in flight, to the real
 * npm start process. Figures are printed, not asserted; what is asserted is correctness.
 */
describe('load: 200 signed webhooks, 30% redeliveries, 16 in flight, to npm start', () => {
  it('answers no 5xx and Slack shows exactly one brief per incident, every reply and approval request once', { timeout: 120_000 }, async () => {
    const report = await runLoad({ total: 200, concurrency: 16, dynamoEndpoint: inject('dynamoEndpoint'), tableName: `load-${randomUUID()}` });
    console.log(describeLoad(report));
    expect(report.sent).toBe(200);
    expect(report.redeliveries).toBe(60);
    expect(Object.keys(report.counts).sort()).toEqual(['ashby', 'github', 'greenhouse', 'jira', 'lever', 'pagerduty']);
    expect(report.serverErrors).toBe(0);
    for (const [status] of Object.entries(report.statuses)) expect(['200', '202']).toContain(status);
    expect(report.problems).toEqual([]);
    expect(report.peakRssMb.service).toBeGreaterThan(0);
  });
});
