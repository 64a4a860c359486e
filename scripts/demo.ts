import { ESCALATION_DEFAULTS, ESCALATION_ENV } from '../functions/escalations/escalation-config';
import { ATTENTION_DEFAULTS, ATTENTION_ENV } from '../functions/incidents/attention-config';
import { findSource } from '../functions/sources/registry';
import { loadDevSecrets } from '../local/dev-secrets';
import { deliveryAndHiringScenario, greenhouseAndAshbyScenario } from '../local/scenarios/delivery-and-hiring';
import { sendGitHubScenario } from '../local/scenarios/github-deployments';
import { pagerDutyIncidentScenario } from '../local/scenarios/pagerduty-incident';
import { pagerDutyStorm } from '../local/scenarios/pagerduty-storm';
import { DEFAULT_INCIDENTS_CHANNEL } from '../local/runtime-config';
import { sendDelivery, sendUntilAccepted } from '../local/scenarios/send';
import { WEEKLY_HAND_COUNT, weeklyWeekScenario } from '../local/scenarios/weekly-week';

const INCIDENTS_CHANNEL_ENV = 'SLACK_CHANNEL_INCIDENTS';

/**
 * `npm run demo`: replays a signed PagerDuty incident lifecycle against the service that
 * `npm start` runs, plus one redelivery to show de-duplication, then the other sources, the
 * digest, the weekly update, two questions and a storm, and says where to look.
 */
async function main(): Promise<void> {
  const baseUrl = process.env.DEMO_URL ?? `http://${process.env.HOST || '127.0.0.1'}:${process.env.PORT || '3000'}`;
  const saved = loadDevSecrets();
  const secretFor = (name: string): string => {
    const value = process.env[name] || saved[name];
    if (!value) fail(`No ${name}: start the service with \`npm start\` first (it generates one), or set ${name}.`);
    return value;
  };
  const secret = secretFor('PAGERDUTY_WEBHOOK_SECRET');

  try {
    const health = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(3000) });
    if (!health.ok) fail(`${baseUrl}/healthz answered ${health.status}`);
  } catch {
    fail(`Nothing is listening on ${baseUrl}. Run \`npm start\` in another terminal (or set DEMO_URL).`);
  }

  const deliveries = pagerDutyIncidentScenario();
  console.log(`Sending a ${deliveries.length}-event PagerDuty incident lifecycle to ${baseUrl}`);
  for (const delivery of deliveries) {
    const type = (JSON.parse(delivery.body) as { event: { event_type: string } }).event.event_type;
    const result = await sendDelivery(baseUrl, delivery, secret);
    console.log(`  ${type.padEnd(34)} → ${result.status} ${JSON.stringify(result.body)}`);
    if (result.status >= 400) fail(`The service rejected ${type}; is it running with the same secret?`);
    // A short gap keeps the inbox readable in order; the service copes with any order.
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  const first = deliveries[0];
  if (first) {
    const again = await sendDelivery(baseUrl, first, secret);
    console.log(`  redelivery of the first webhook     → ${again.status} ${JSON.stringify(again.body)} (nothing new is posted)`);
  }
  console.log("  PagerDuty's incident.escalated on that open P1 escalates it to the VP at once (the #exec-escalations thread).");
  await sendUnacknowledgedP1(baseUrl, secret);
  const others = [...deliveryAndHiringScenario(), ...greenhouseAndAshbyScenario()];
  console.log('\nSending a Jira budget-request transition, a Lever offer move and hire, two Greenhouse stage moves and an Ashby offer');
  for (const delivery of others) {
    const source = findSource(delivery.source);
    if (!source) fail(`The demo names an unregistered source: ${delivery.source}`);
    const result = await sendDelivery(baseUrl, delivery, secretFor(source.secretName));
    console.log(`  ${delivery.source.padEnd(10)} → ${result.status} ${JSON.stringify(result.body)}`);
    if (result.status >= 400) fail(`The service rejected the ${delivery.source} delivery`);
  }
  const greenhouse = others.find((delivery) => delivery.source === 'greenhouse');
  const candidateId = greenhouse
    ? (JSON.parse(greenhouse.body) as { payload: { application: { candidate: { id: string } } } }).payload.application.candidate.id
    : '<id>';
  console.log('  (verified, normalised, contact details dropped, recorded on each application history;');
  console.log('   the second Greenhouse move gets its previous stage from the first.)');
  console.log(`  To erase that Greenhouse candidate (GDPR): npm run forget -- --candidate greenhouse:${candidateId}`);
  console.log('  The Jira budget request (Awaiting VP Approval) and the Greenhouse and Ashby offer stages opened approvals.');

  await sendGitHubScenario(baseUrl, secretFor('GITHUB_WEBHOOK_SECRET')).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));

  const week = weeklyWeekScenario();
  console.log(
    '\nSending a week of work for the weekly update: 14 Jira completions (10 this week), night and weekend pages, a fix deployed during a P2 and a revert',
  );
  for (const delivery of week) {
    const source = findSource(delivery.source);
    if (!source) fail(`The demo names an unregistered source: ${delivery.source}`);
    const result = await sendDelivery(baseUrl, delivery, secretFor(source.secretName));
    if (result.status >= 400) fail(`The service rejected a ${delivery.source} delivery of the week: ${result.status} ${JSON.stringify(result.body)}`);
  }
  console.log(`  ${week.length} deliveries accepted.`);

  // Give the workers a moment to record the night, then ask for the morning digest now.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const digest = await fetch(`${baseUrl}/local/digest`, { method: 'POST', signal: AbortSignal.timeout(15_000) });
  console.log(`\nMorning digest (POST /local/digest) → ${digest.status} ${JSON.stringify(await digest.json())}`);

  const weekly = await fetch(`${baseUrl}/local/weekly`, { method: 'POST', signal: AbortSignal.timeout(30_000) });
  console.log(`\nWeekly update for the E-staff (POST /local/weekly) → ${weekly.status} ${JSON.stringify(await weekly.json())}`);
  const h = WEEKLY_HAND_COUNT;
  console.log(
    `  The week above, counted by hand: ${h.completed} Jira issues completed (previous week ${h.previousCompleted}); feature ${h.shares.feature}), tech debt ${h.shares['tech debt']}),`,
  );
  console.log(
    `  keep the lights on ${h.shares['keep the lights on']}), unplanned ${h.shares['unplanned / incident follow-up']}), uncategorised ${h.shares.uncategorised});`,
  );
  console.log(
    `  ${h.deployments} more production deployments, ${h.rework} of them rework (a fix during an open P2, a revert), besides the 3 planned ones above;`,
  );
  console.log(
    `  after-hours pages Platform ${h.afterHoursByTeam.Platform}, Search ${h.afterHoursByTeam.Search}, one person paged ${h.longestRun.nights} nights in a row`,
  );
  console.log('  (the Payments pages of the incidents above count as after hours only if you run the demo outside 09:00-18:00 Mon-Fri in New York).');
  console.log(`  The same update as Markdown: curl ${baseUrl}/local/weekly/latest.md`);

  await askTwoQuestions(baseUrl);
  await sendStorm(baseUrl, secret);

  console.log(
    `\nOpen ${baseUrl}/ to see the incident brief with its thread and closing brief, the storm roll-up, the escalations (marked in red), the approval requests`,
  );
  console.log('with working Approve/Reject buttons (switch "Acting as" to see a refusal), and the digest.');
  console.log('With SLACK_BOT_TOKEN set on the service, look in the Slack channels instead.');
}

/** Asks the chief of staff two questions the way Slack would deliver them (signed app_mentions) and prints the answers. */
async function askTwoQuestions(baseUrl: string): Promise<void> {
  console.log('\nAsking the chief of staff (a signed Slack app_mention to POST /slack/events, answered in its thread):');
  for (const question of ['What needs me today?', 'How are we tracking on DORA this month?']) {
    const response = await fetch(`${baseUrl}/local/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question }),
      signal: AbortSignal.timeout(20_000),
    });
    if (response.status === 404) {
      console.log('  (the service posts to Slack, not the local inbox: mention the app in Slack to ask it)');
      return;
    }
    const body = (await response.json()) as { answer?: string[]; ms?: number; error?: string };
    console.log(`\n  Q: ${question}`);
    if (!body.answer) {
      console.log(`  (no answer: ${body.error ?? response.status})`);
      continue;
    }
    console.log(`  A (in ${body.ms} ms):`);
    for (const line of body.answer.join('\n').split('\n')) console.log(`     ${line}`);
  }
  console.log('\n  Ask your own in the inbox\'s Ask box; switch "Acting as" to see the refusal.');
}

/**
 * A storm: P2 incidents triggered back to back, more than INCIDENT_STORM_THRESHOLD within the
 * window. The ones past the threshold join one roll-up message, edited in place as each joins;
 * the demo prints its headline as the local inbox shows it.
 */
async function sendStorm(baseUrl: string, secret: string): Promise<void> {
  // The threshold plus three: a roll-up even when nothing else was briefed in the window.
  const count = ATTENTION_DEFAULTS.stormThreshold + 3;
  const channel = process.env[INCIDENTS_CHANNEL_ENV] || DEFAULT_INCIDENTS_CHANNEL;
  const since = String(Date.now() / 1000);
  console.log(
    `\nA storm: ${count} P2 incidents triggered at once (more than ${ATTENTION_ENV.stormThreshold}=${ATTENTION_DEFAULTS.stormThreshold} within ${ATTENTION_DEFAULTS.stormWindow})`,
  );
  const storm = pagerDutyStorm({
    prefix: `QDEMOSTORM${Date.now().toString(36).toUpperCase()}`,
    firstNumber: 4300,
    count,
    start: new Date(),
    spacingMs: 0,
    priority: () => 'P2',
  });
  for (const { delivery } of storm) {
    // A busy service may answer 503 (its store timed out): sent again as PagerDuty would.
    const result = await sendUntilAccepted(baseUrl, delivery, secret);
    if (result.status >= 400) fail(`The service rejected a storm incident: ${result.status} ${JSON.stringify(result.body)}`);
  }
  // The roll-up is edited as incidents join: read it until it stops changing.
  let headline: string | undefined;
  for (let waited = 0, stable = 0; waited < 20_000 && stable < 3; waited += 500) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const response = await fetch(`${baseUrl}/local/slack/replies?channel=${encodeURIComponent(channel)}&after=${since}`, { signal: AbortSignal.timeout(3000) });
    if (response.status === 404) {
      console.log(`  (the service posts to Slack: the roll-up is in ${channel})`);
      return;
    }
    const { replies } = (await response.json()) as { replies: { text: string }[] };
    const now = replies.map((reply) => reply.text).find((text) => text.startsWith('Major event'));
    stable = now !== undefined && now === headline ? stable + 1 : 0;
    headline = now;
  }
  console.log(
    headline
      ? `  Roll-up in ${channel}: ${headline}`
      : '  (no roll-up yet: incidents briefed in the last window count towards the threshold; look in the inbox)',
  );
  console.log(
    '  The incidents before the threshold keep their own briefs; the rest are lines in that one message, with one thread for what changes the picture.',
  );
}

/**
 * A second P1 that nobody acknowledges: the unacknowledged rule escalates it when the server's
 * threshold passes. The demo cannot change the server's environment, so it says what to start
 * the server with to see that within seconds.
 */
async function sendUnacknowledgedP1(baseUrl: string, secret: string): Promise<void> {
  const [triggered] = pagerDutyIncidentScenario({ number: 4212, title: 'Search API timing out for all customers', start: new Date() });
  if (!triggered) return;
  const result = await sendDelivery(baseUrl, triggered, secret);
  console.log(`\nA second P1 (#4212), triggered now and never acknowledged → ${result.status} ${JSON.stringify(result.body)}`);
  if (result.status >= 400) fail('The service rejected the second incident');
  console.log(`  It is escalated once ${ESCALATION_DEFAULTS.p1UnacknowledgedAfter} after the trigger (the default ${ESCALATION_ENV.p1UnacknowledgedAfter}).`);
  console.log(`  To see that within seconds, start the server with a short threshold and run the demo again:`);
  console.log(`    ${ESCALATION_ENV.p1UnacknowledgedAfter}=8s npm start`);
  console.log('  A restart while it waits loses nothing: the timer is rebuilt from DynamoDB when the server starts.');
}

function fail(message: string): never {
  console.error(`demo: ${message}`);
  process.exit(1);
}

void main();
