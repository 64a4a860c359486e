import { describe, expect, it } from 'vitest';
import type { DoraDeployment } from '../../functions/digest/dora';
import type { IncidentSummary } from '../../functions/digest/metrics';
import { type ReworkInput, reworkRate } from '../../functions/weekly/rework';

// The week Mon 23 Nov 00:00Z → Mon 30 Nov 00:00Z; the previous week the seven days before.
const WEEK = { from: new Date('2026-11-23T00:00:00Z'), to: new Date('2026-11-30T00:00:00Z') };
const PREVIOUS = { from: new Date('2026-11-16T00:00:00Z'), to: WEEK.from };
const CHECKOUT = 'acme/checkout-api';

const deploy = (id: string, at: string, fields: Partial<DoraDeployment> = {}): DoraDeployment => ({
  id: `${fields.repository ?? CHECKOUT}#${id}`,
  repository: CHECKOUT,
  environment: 'production',
  productionEnvironment: null,
  state: 'success',
  at,
  ...fields,
});

const incident = (key: string, fields: Partial<IncidentSummary>): IncidentSummary => ({
  id: key,
  key,
  title: 'Checkout failing',
  priority: 'P1',
  service: 'Checkout API',
  customerFacing: true,
  triggeredAt: '2026-11-24T14:30:00Z',
  responders: [],
  ...fields,
});

/*
 * Hand count for the week (checkout-api is linked to the PagerDuty service "Checkout API" by
 * name; search-api to no service that had an incident):
 *   d1 Mon 10:00 checkout, planned (PR #1 "Add saved cards", feature branch)      → planned
 *   d2 Tue 15:00 checkout, during P1 #10 (14:30–16:00), ships a hotfix branch      → rework
 *   d3 Wed 10:00 checkout, ships PR #3 "Revert …"                                  → rework
 *   d4 Tue 15:30 search-api, during #10 but the repository is not linked          → planned
 *   d5 Thu 10:00 checkout to staging                                              → not a production deployment
 *   d6 Thu 12:00 checkout, #11 open but lowered from P1 to P3 at 11:00             → planned
 *   d7 Fri 09:00 checkout, ref "rollback-2026.11.26"                               → rework
 *   d9 Sat 09:00 checkout, failed (never deployed)                                → not counted
 *   d2 again (a second success status for the same deployment)                    → counted once
 * Production deployments 6 (d1 d2 d3 d4 d6 d7), rework 3: "3 of 6", 50%.
 * Previous week: d8 Sun 22 Nov 12:00, planned: 0 of 1.
 */
const input: ReworkInput = {
  deployments: [
    deploy('8', '2026-11-22T12:00:00Z', { ref: 'main' }),
    deploy('1', '2026-11-23T10:00:00Z', { ref: 'main' }),
    deploy('2', '2026-11-24T15:00:00Z', { ref: 'main' }),
    deploy('2', '2026-11-24T15:05:00Z', { ref: 'main' }),
    deploy('3', '2026-11-25T10:00:00Z', { ref: 'main' }),
    deploy('4', '2026-11-24T15:30:00Z', { repository: 'acme/search-api', ref: 'main' }),
    deploy('5', '2026-11-26T10:00:00Z', { environment: 'staging', ref: 'hotfix/staging-only' }),
    deploy('6', '2026-11-26T12:00:00Z', { ref: 'main' }),
    deploy('7', '2026-11-27T09:00:00Z', { ref: 'rollback-2026.11.26' }),
    deploy('9', '2026-11-28T09:00:00Z', { state: 'failure', ref: 'hotfix/never-deployed' }),
  ],
  changes: [
    { repository: CHECKOUT, mergedAt: '2026-11-23T09:00:00Z', title: 'Add saved cards', branch: 'feature/saved-cards' },
    { repository: CHECKOUT, mergedAt: '2026-11-24T14:50:00Z', title: 'Fix card timeout', branch: 'hotfix/card-timeout' },
    { repository: CHECKOUT, mergedAt: '2026-11-25T09:30:00Z', title: 'Revert "Cache tax rates per region"', branch: 'revert-102-tax-cache' },
    { repository: 'acme/search-api', mergedAt: '2026-11-24T15:00:00Z', title: 'Tune ranking weights', branch: 'ranking-weights' },
  ],
  incidents: [
    incident('#10', {
      triggeredAt: '2026-11-24T14:30:00Z',
      resolvedAt: '2026-11-24T16:00:00Z',
      priorityHistory: [{ priority: 'P1', at: '2026-11-24T14:30:00Z' }],
    }),
    incident('#11', {
      triggeredAt: '2026-11-26T10:30:00Z',
      resolvedAt: '2026-11-26T13:00:00Z',
      priority: 'P3',
      priorityHistory: [
        { priority: 'P1', at: '2026-11-26T10:30:00Z' },
        { priority: 'P3', at: '2026-11-26T11:00:00Z' },
      ],
    }),
  ],
  productionEnvironments: ['production', 'prod'],
  serviceRepositories: {},
};

describe('deployment rework rate (hand-counted week)', () => {
  it('counts 3 of 6 production deployments as rework: a hotfix during an open P1, a revert PR, a rollback ref', () => {
    const result = reworkRate(input, WEEK);
    expect(result).toMatchObject({ deployments: 6, rework: 3, rate: 0.5 });
    expect(result.reasons).toEqual([
      { deployment: `${CHECKOUT}#2`, reason: 'open-incident' },
      { deployment: `${CHECKOUT}#3`, reason: 'marked' },
      { deployment: `${CHECKOUT}#7`, reason: 'marked' },
    ]);
  });

  it('does not count a deployment of an unlinked repository during the P1, nor one after the incident was lowered to P3', () => {
    const ids = reworkRate(input, WEEK).reasons.map((r) => r.deployment);
    expect(ids).not.toContain('acme/search-api#4');
    expect(ids).not.toContain(`${CHECKOUT}#6`);
  });

  it('links a repository to the service named for it in DORA_SERVICE_REPOSITORIES: then the search deploy during the P1 is rework', () => {
    const linked = reworkRate({ ...input, serviceRepositories: { 'Checkout API': [CHECKOUT, 'acme/search-api'] } }, WEEK);
    expect(linked).toMatchObject({ deployments: 6, rework: 4 });
  });

  it('the previous week had one planned deployment: 0 of 1', () => {
    expect(reworkRate(input, PREVIOUS)).toMatchObject({ deployments: 1, rework: 0, rate: 0 });
  });

  it('a pull request whose description marks a revert makes its deployment rework; no deployment gives no rate', () => {
    const marked = reworkRate(
      { ...input, changes: [{ repository: CHECKOUT, mergedAt: '2026-11-23T09:00:00Z', title: 'Undo tax cache', branch: 'undo', marked: true }] },
      WEEK,
    );
    expect(marked.reasons.map((r) => r.deployment)).toContain(`${CHECKOUT}#1`);
    expect(reworkRate({ ...input, deployments: [] }, WEEK)).toEqual({ deployments: 0, rework: 0, rate: null, reasons: [] });
  });
});
