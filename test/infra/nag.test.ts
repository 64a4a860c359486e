import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { addStacks } from '../../lib/build-app';
import { loadConfig } from '../../lib/config';
import { nagAcknowledgments } from '../../lib/nag';
import { synthApp, testContext } from './app-fixture';

/** Findings of the AwsSolutions pack on an already synthesized app, as `ruleId @ resource path`. */
function findings(app: App): Array<{ rule: string; path: string; severity: string }> {
  const report = new AwsSolutionsChecks().validateScope(app);
  return report.violations.flatMap((violation) =>
    violation.violatingResources.map((resource) => ({
      rule: violation.ruleName,
      path: resource.constructPath ?? '',
      severity: violation.severity ?? '',
    })),
  );
}

/** The stacks as deployed but without any acknowledgment. */
function unacknowledgedApp() {
  const app = new App({ context: testContext() });
  const stacks = addStacks(app, loadConfig(app));
  return { app, stacks };
}

describe('cdk-nag AwsSolutions', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it.each([[false], [true]])(
    'synthesizes with no unacknowledged finding (claudeWriter: %s)',
    (claudeWriter) => {
      // synthApp registers the pack as bin/app.ts does; synth throws on any finding.
      const { app } = synthApp({ claudeWriter });
      expect(findings(app)).toEqual([]);
      // The first synth of a run loads aws-cdk-lib and cdk-nag: slow on a shared machine.
    },
    120_000,
  );

  it('fails synthesis when findings are not acknowledged', () => {
    const { app } = unacknowledgedApp();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    vi.spyOn(console, 'error').mockImplementation(() => {}); // the CDK prints the whole report
    expect(() => app.synth()).toThrow(/AwsSolutions-SMG4/);
  });

  it('acknowledges exactly the findings that occur: none stale, none broader than its construct', () => {
    const { app, stacks } = unacknowledgedApp();
    const planned = nagAcknowledgments(stacks);
    app.synth(); // resolves cross-stack references, as the CLI does before validation
    const raw = findings(app);
    expect(raw.length).toBeGreaterThan(0);

    const covers = (ack: (typeof planned)[number], finding: (typeof raw)[number]) =>
      ack.acknowledgment.id === finding.rule && (finding.path === ack.scope.node.path || finding.path.startsWith(`${ack.scope.node.path}/`));

    for (const finding of raw) {
      expect(
        planned.some((ack) => covers(ack, finding)),
        `${finding.rule} at ${finding.path}`,
      ).toBe(true);
    }
    for (const ack of planned) {
      expect(
        raw.some((finding) => covers(ack, finding)),
        `${ack.acknowledgment.id} on ${ack.scope.node.path}`,
      ).toBe(true);
    }
  });

  it('gives every acknowledgment a specific reason', () => {
    const { stacks } = unacknowledgedApp();
    for (const { acknowledgment } of nagAcknowledgments(stacks)) {
      expect(acknowledgment.id).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(acknowledgment.reason.length).toBeGreaterThan(60);
    }
  });
});
