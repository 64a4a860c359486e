import { signingSecrets } from '../functions/core/signing-secrets';
import { findSource } from '../functions/sources/registry';
import { pagerDutyIncidentScenario } from '../local/scenarios/pagerduty-incident';
import { sendDelivery } from '../local/scenarios/send';
import { apiUrlArgument, fail } from './cli';

const USAGE =
  'usage: PAGERDUTY_WEBHOOK_SECRET=<secret> npm run webhook:check -- --api-url <WebhookApiUrl>\n' +
  '  sends one signed PagerDuty incident.triggered delivery (a test incident), the same delivery twice more,\n' +
  '  and one with a wrong signature, and checks the answers: 202, then 200 or 202 "republished" (ADR 0013), then 200 duplicate, and 401.';

/**
 * `npm run webhook:check`: the end-to-end check after a deploy. A test incident signed with the
 * deployed PagerDuty secret should be accepted, de-duplicated on redelivery and a forged one
 * refused; within a minute its brief appears in the incidents channel.
 */
async function main(): Promise<void> {
  const apiUrl = apiUrlArgument(USAGE);
  const secretName = findSource('pagerduty')?.secretName ?? 'PAGERDUTY_WEBHOOK_SECRET';
  const [secret] = signingSecrets(process.env[secretName]);
  if (!secret) fail(`${secretName} is not set in the environment\n${USAGE}`);
  const base = apiUrl.replace(/\/+$/, '');

  const [delivery] = pagerDutyIncidentScenario({
    title: 'exec-eng-lead deployment check (test incident, ignore)',
    number: 1,
    start: new Date(),
  });
  if (!delivery) fail('the PagerDuty scenario is empty');
  const checks: { name: string; expected: number[]; result: Awaited<ReturnType<typeof sendDelivery>> }[] = [];
  checks.push({ name: 'signed delivery', expected: [202], result: await sendDelivery(base, delivery, secret) });
  // A redelivery is a duplicate (200), or republished once (202 "republished") if the first publish was not yet confirmed (ADR 0013).
  checks.push({ name: 'same delivery again', expected: [200, 202], result: await sendDelivery(base, delivery, secret) });
  checks.push({ name: 'and once more', expected: [200], result: await sendDelivery(base, delivery, secret) });
  checks.push({
    name: 'wrong signature',
    expected: [401],
    result: await sendDelivery(base, { ...delivery, deliveryId: `${delivery.deliveryId}-forged` }, `${secret}-wrong`),
  });

  let failed = 0;
  for (const { name, expected, result } of checks) {
    const ok = expected.includes(result.status);
    if (!ok) failed += 1;
    console.log(
      `${ok ? 'ok  ' : 'FAIL'} ${name}: ${result.status} (expected ${expected.join(' or ')}) ${JSON.stringify(result.body)} in ${Math.round(result.ms)} ms`,
    );
  }
  if (failed > 0) {
    console.error('See docs/deploy.md#7-check-it-works-end-to-end for what each failure means.');
    process.exit(1);
  }
  console.log("Webhooks work. The test incident's brief should appear in the incidents channel within a minute.");
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
