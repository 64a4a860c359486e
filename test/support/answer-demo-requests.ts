import type { WriteRequestOf } from '../../functions/ports/writer';

/**
 * Answers to the two questions `npm run demo` asks, as the code-built answerer fills the answer
 * kind's facts on the demo's data (lines in the shape the tools' code writes them). The question
 * travels as untrusted text, as it does to the model.
 */
export function answerDemoRequests(): WriteRequestOf<'answer'>[] {
  return [
    {
      kind: 'answer',
      facts: {
        headline: 'P1 #4211 open; 1 approval waiting for you; error budget overspent by 11 min',
        answer: 'What needs you now, first the incidents still open, then the decisions waiting for you, then where the error budget stands.',
        headings: ['Open incidents', 'Approvals waiting', 'Error budget'],
        bodies: [
          'P1 #4211 Checkout API error rate above 5% in us-east-1 (Checkout API): open for 55 min, acknowledged by Marco Diaz',
          '1 approval waiting; oldest: FIN-88, waiting 3 h 10 min\nFIN-88 (budget), waiting 3 h 10 min',
          'Availability this month 99.843% against a 99.99% SLO: 55 min of downtime; error budget 44 min, used 55 min (125%)\nError budget overspent by 11 min',
        ],
      },
      untrusted: { question: 'What needs me today?' },
      links: [{ label: 'Incident #4211', url: 'https://acme.pagerduty.com/incidents/Q1DEMO4211' }],
    },
    {
      kind: 'answer',
      facts: {
        headline: 'DORA, this month so far',
        answer: [
          'Deployment frequency: 14 production deployments in the period (0.6 a day; previous period 12): DORA high (between daily and weekly)',
          'Change lead time: median 10 h 45 min, 85th percentile 20 h 00 min over 9 merged pull requests: DORA elite (under a day)',
          'Change failure rate: 7% (1 of 14): DORA elite (under 15%)',
          'Failed deployment recovery time: median 34 min over 1 failed deployment: DORA elite (under an hour)',
          'Deployments per week, last 8 weeks: ▃▄▄▅▅▆▇█ 6, 8, 8, 9, 10, 11, 12, 14',
        ].join('\n'),
        headings: [],
        bodies: [],
      },
      untrusted: { question: 'How are we tracking on DORA this month?' },
      links: [],
    },
  ];
}
