import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { metricLines } from '../../functions/digest/metric-lines';
import { computeDigestMetrics, type DigestInput } from '../../functions/digest/metrics';
import type { WriteRequest } from '../../functions/ports/writer';
import { ClaudeWriter, createAnthropicClient } from '../../functions/writer/claude-writer';
import { checkGrounding } from '../../functions/writer/grounding';
import { TemplateWriter } from '../../functions/writer/template-writer';
import { type FakeAnthropic, messageReply, startFakeAnthropic } from '../../local/fake-anthropic';
import { emptyDigestInput } from '../support/digest-input';

// One day: production deployments at 04:00Z, 06:00Z and 08:00Z, PR #1 opened 22:00Z the day before and
// merged 03:00Z (6 h to the first deployment), PR #2 opened 05:00Z and merged 05:30Z (1 h), a P1 on
// checkout-api at 09:00Z resolved 09:40Z: lead time median 3 h 30 min, p85 6 h; 1 of 3 failed (33%).
const period = { from: new Date('2026-11-23T14:00:00Z'), to: new Date('2026-11-24T14:00:00Z') };
const repository = 'acme/checkout-api';
const deployment = (id: string, at: string) => ({
  id: `${repository}#${id}`,
  repository,
  environment: 'production',
  productionEnvironment: true,
  state: 'success' as const,
  at,
});
const input: DigestInput = emptyDigestInput({
  period,
  previousPeriod: { from: new Date('2026-11-22T14:00:00Z'), to: period.from },
  now: period.to,
  dora: {
    period,
    previousPeriod: { from: new Date('2026-11-22T14:00:00Z'), to: period.from },
    deployments: [deployment('1', '2026-11-24T04:00:00Z'), deployment('2', '2026-11-24T06:00:00Z'), deployment('3', '2026-11-24T08:00:00Z')],
    changes: [
      { id: `${repository}#1`, repository, firstCommitAt: null, openedAt: '2026-11-23T22:00:00Z', mergedAt: '2026-11-24T03:00:00Z' },
      { id: `${repository}#2`, repository, firstCommitAt: null, openedAt: '2026-11-24T05:00:00Z', mergedAt: '2026-11-24T05:30:00Z' },
    ],
    incidents: [{ key: '#7', service: 'checkout-api', triggeredAt: '2026-11-24T09:00:00Z', resolvedAt: '2026-11-24T09:40:00Z', priorities: ['P1'] }],
    productionEnvironments: ['production'],
    serviceRepositories: {},
    attributionWindowHours: 24,
  },
});
const lines = metricLines(computeDigestMetrics(input), input);
const request: WriteRequest = { kind: 'digest', facts: { ...lines }, untrusted: {}, links: [] };

const section = (heading: string, body: string) => ({ heading, body });
const draft = (delivery: string) => ({
  headline: 'Morning digest: three deployments, one caused an incident.',
  sections: [
    section('Incidents', 'Nothing to report.'),
    section('Availability', 'Nothing to report.'),
    section('Delivery', delivery),
    section('Approvals', 'Nothing to report.'),
    section('Hiring', 'Nothing to report.'),
    section('Wins', 'Nothing to report.'),
  ],
});
const faithful = draft(
  '3 production deployments; change lead time median 3 h 30 min, 85th percentile 6 h 00 min; change failure rate 33% (1 of 3); recovery 1 h 40 min.',
);
const invented = draft('3 production deployments; change lead time median 2 h 15 min; change failure rate 50%; deployments up 40% on last week.');

let fake: FakeAnthropic;
beforeAll(async () => {
  fake = await startFakeAnthropic();
});
afterAll(async () => {
  await fake.stop();
});
beforeEach(() => fake.reset());

function writer() {
  const client = createAnthropicClient({ apiKey: 'fake-anthropic-key-for-tests', baseURL: fake.baseURL, timeoutMs: 2000, maxRetries: 0 });
  return new ClaudeWriter({ client, model: 'claude-sonnet-5-5', fallback: new TemplateWriter(), deadlineMs: 5000 });
}

describe('the Claude writer narrating DORA', () => {
  it('the computed lines hold the figures the faithful draft quotes', () => {
    expect(lines.delivery.join('\n')).toContain('Change failure rate: 33% (1 of 3)');
    expect(lines.delivery.join('\n')).toContain('Change lead time: median 3 h 30 min, 85th percentile 6 h 00 min');
    expect(checkGrounding(faithful, request)).toEqual([]);
  });

  it('cannot publish a DORA figure that is not in the lines: corrected once, then the template', async () => {
    fake.reply(messageReply(invented), messageReply(invented));

    const document = await writer().write(request);

    expect(document.writer).toBe('template');
    expect(document.fallbackReason).toBe('grounding_failed');
    const first = (document.violations ?? []).filter((v) => v.startsWith('draft 1:'));
    expect(first).toEqual([
      'draft 1: "2 h 15 min" (duration) in sections[2].body is not in the facts',
      'draft 1: "50%" (percentage) in sections[2].body is not in the facts',
      'draft 1: "40%" (percentage) in sections[2].body is not in the facts',
    ]);
    // What ships is the computed lines, laid out by the template.
    expect(document.sections.find((s) => s.heading === 'Delivery')?.body).toBe(lines.delivery.join('\n'));
  });

  it('publishes a draft whose DORA figures all come from the lines', async () => {
    fake.reply(messageReply(faithful));
    const document = await writer().write(request);
    expect(document.writer).toBe('claude:claude-sonnet-5-5');
    expect(document.violations ?? []).toEqual([]);
  });
});
