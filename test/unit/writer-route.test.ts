import { describe, expect, it } from 'vitest';
import { kindSpecs } from '../../functions/documents/registry';
import type { AnyWriteRequest } from '../../functions/ports/writer';
import { changeEnvName, modelOverrides } from '../../functions/writer/create-writer';
import { structuralProblems } from '../../functions/writer/document-kinds';
import { checkGrounding, describeViolation } from '../../functions/writer/grounding';
import { DEFAULT_TIER_MODELS } from '../../functions/writer/model-tiers';
import { minCacheableTokens } from '../../functions/writer/prompt-cache';
import { CORE_SYSTEM_PROMPT, systemPromptFor } from '../../functions/writer/system-prompt';
import { EXAMPLES, WORKED_EXAMPLES } from '../../functions/writer/worked-examples';
import { changeKey, routeFor, TEMPLATE_ROUTE } from '../../functions/writer/writer-route';

const TIERS = { tiers: DEFAULT_TIER_MODELS };

function update(change: string, untrusted: Record<string, string> = { title: 'Checkout errors' }): AnyWriteRequest {
  return { kind: 'incident.update', facts: { incident: '#1', status: 'acknowledged', change }, untrusted, links: [] };
}

describe('which writer writes a request', () => {
  it('gives structural incident changes to the template and changes carrying human text to the fast model', () => {
    expect(routeFor(update('incident.acknowledged'), TIERS)).toBe(TEMPLATE_ROUTE);
    expect(routeFor(update('incident.escalated'), TIERS)).toBe(TEMPLATE_ROUTE);
    expect(routeFor(update('incident.priority_updated'), TIERS)).toBe(TEMPLATE_ROUTE);
    expect(routeFor(update('incident.annotated', { title: 'Checkout errors', note: 'Rolled back' }), TIERS)).toBe(DEFAULT_TIER_MODELS.fast);
    // A listed change that carries text a human wrote still goes to the model.
    expect(routeFor(update('incident.acknowledged', { title: 'Checkout errors', note: 'On it' }), TIERS)).toBe(DEFAULT_TIER_MODELS.fast);
  });

  it("gives PagerDuty's own escalation to the template and the service's escalations to the standard model", () => {
    const escalation = (rule: string): AnyWriteRequest => ({
      kind: 'escalation',
      facts: { subject: 'P1 incident #1', rule },
      untrusted: { title: 'x' },
      links: [],
    });
    expect(routeFor(escalation('pagerduty-escalated'), TIERS)).toBe(TEMPLATE_ROUTE);
    expect(routeFor(escalation('unacknowledged'), TIERS)).toBe(DEFAULT_TIER_MODELS.standard);
  });

  it('lets an override per change put a structural change back on a model, and one per kind send a whole kind to the template', () => {
    const overrides = { [changeKey('incident.update', 'incident.acknowledged')]: 'claude-sonnet-5-5' };
    expect(routeFor(update('incident.acknowledged'), { ...TIERS, overrides })).toBe('claude-sonnet-5-5');
    const allTemplate = { 'incident.update': TEMPLATE_ROUTE };
    expect(routeFor(update('incident.annotated', { note: 'Rolled back' }), { ...TIERS, overrides: allTemplate })).toBe(TEMPLATE_ROUTE);
  });

  it('reads the per-kind and per-change overrides from the environment', () => {
    expect(changeEnvName('incident.update', 'incident.acknowledged')).toBe('ANTHROPIC_MODEL_INCIDENT_UPDATE_ACKNOWLEDGED');
    expect(changeEnvName('escalation', 'pagerduty-escalated')).toBe('ANTHROPIC_MODEL_ESCALATION_PAGERDUTY_ESCALATED');
    const overrides = modelOverrides({
      ANTHROPIC_MODEL_INCIDENT_UPDATE: 'claude-sonnet-5-5',
      ANTHROPIC_MODEL_INCIDENT_UPDATE_ACKNOWLEDGED: 'claude-haiku-5-5',
      ANTHROPIC_MODEL_APPROVAL_REQUEST: TEMPLATE_ROUTE,
    });
    expect(overrides).toEqual({
      'incident.update': 'claude-sonnet-5-5',
      [changeKey('incident.update', 'incident.acknowledged')]: 'claude-haiku-5-5',
      'approval.request': TEMPLATE_ROUTE,
    });
  });
});

describe('the system prompt', () => {
  it('reaches each default model’s minimum cacheable prefix (four characters a token, as the fake API counts)', () => {
    for (const model of Object.values(DEFAULT_TIER_MODELS)) {
      expect(systemPromptFor(model).length / 4).toBeGreaterThanOrEqual(minCacheableTokens(model) * 1.05);
    }
    // The standard model gets the guide alone (cheaper to cache); the fast one the worked examples too.
    expect(systemPromptFor(DEFAULT_TIER_MODELS.standard)).toBe(CORE_SYSTEM_PROMPT);
    expect(systemPromptFor(DEFAULT_TIER_MODELS.fast)).toBe(`${CORE_SYSTEM_PROMPT}\n\n${WORKED_EXAMPLES}`);
  });

  it("names every kind's required headings, so a request only needs to name its kind", () => {
    for (const [kind, spec] of Object.entries(kindSpecs)) {
      expect(CORE_SYSTEM_PROMPT).toContain(`${kind}: ${spec.purpose}`);
      for (const heading of spec.requiredSections) expect(CORE_SYSTEM_PROMPT).toContain(`"${heading}"`);
    }
  });

  it('teaches only answers that pass the checks a real draft must pass', () => {
    for (const example of EXAMPLES) {
      const request = { kind: example.kind, facts: example.facts, untrusted: example.webhookData, links: [] } as unknown as AnyWriteRequest;
      const problems = [...structuralProblems(example.kind, example.answer), ...checkGrounding(example.answer, request).map(describeViolation)];
      expect(problems, `${example.kind} ${example.note ?? ''}`).toEqual([]);
    }
  });
});
