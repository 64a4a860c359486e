import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoOutboxStore } from '../../functions/adapters/dynamo-outbox';
import { createTableIfMissing } from '../../functions/adapters/dynamo-table';
import { SlackChat } from '../../functions/adapters/slack-chat';
import { createOutbox } from '../../functions/outbox/create-outbox';
import { outboxBacklog, sweepOutbox } from '../../functions/outbox/sweeper';
import { pagerDutyIncidentScenario, type ScenarioDelivery } from '../../local/scenarios/pagerduty-incident';
import { withPriority } from '../../local/scenarios/pagerduty-storm';
import { sendUntilAccepted } from '../../local/scenarios/send';
import { startFakeSlack } from '../../test/support/fake-slack';
import { virtualTiming } from '../../test/support/virtual-time';
import { SECRET, startIncidentService } from './brief-latency';
import { type Figure, inFlight, percentile, round } from './figures';

const CHANNEL = 'C0BENCHATT';
/** Documents waiting for the channel when each P1 is sent (the contract holds from 200). */
const WAITING = 200;
const P1S = 3;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A note added to the incident (a thread reply), the `n`th of many. */
function note(incidentId: string, number: number, n: number): ScenarioDelivery {
  const annotated = pagerDutyIncidentScenario({ incidentId, number })[3];
  if (!annotated) throw new Error('the incident scenario no longer has a note as its fourth event');
  const body = JSON.parse(annotated.body) as { event: { id: string; data: { id: string; content: string } } };
  body.event.id = `${incidentId}-note-${n}`;
  body.event.data = { ...body.event.data, id: `PNOTE${n}`, content: `Status check ${n}: error rate still falling.` };
  return { ...annotated, deliveryId: `${incidentId}-note-delivery-${n}`, body: JSON.stringify(body) };
}

/**
 * attention.p1_brief_latency: `npm start` with the fake Slack, the template writer and signed
 * webhooks. Two P2 incidents and notes on them (thread replies) fill the incident channel with
 * documents waiting for its pace (one post a second); with at least 200 still waiting, a P1 is triggered,
 * three times. From the start of its webhook POST to its brief's `chat.postMessage`. Contract: ≤ 5 s.
 */
export async function benchP1Latency(dynamoEndpoint: string, db: DynamoDBDocumentClient): Promise<Figure[]> {
  const slack = await startFakeSlack();
  const tableName = `bench-p1-${Date.now()}`;
  const service = await startIncidentService({ dynamoEndpoint, tableName, slackApiUrl: slack.apiUrl, channel: CHANNEL });
  const send = async (delivery: ScenarioDelivery) => {
    // DynamoDB Local on a loaded machine can time out: a 503 is sent again, as PagerDuty would (counted in the latency).
    const response = await sendUntilAccepted(service.url, delivery, SECRET, 8);
    if (response.status !== 202) throw new Error(`p1 latency: webhook answered ${response.status}`);
  };
  const pending = async () => (await new DynamoOutboxStore(db, tableName).pendingStats()).count;
  const latencies: number[] = [];
  const waitingAtSend: number[] = [];
  try {
    for (const [i, incidentId] of ['QBACKLOG1', 'QBACKLOG2'].entries()) {
      const [triggered] = pagerDutyIncidentScenario({ incidentId, number: 8600 + i });
      if (triggered) await send(withPriority(triggered, 'P2'));
    }
    // Notes in batches, eight in flight, until the backlog holds enough for three P1s to each find 200 ahead of them.
    for (let n = 0; n < 1_000 && (await pending()) < WAITING + 3 * P1S + 10;) {
      const batch = Array.from({ length: 40 }, (_, i) => n + i);
      n += batch.length;
      await inFlight(batch, 8, (k) => send(note(k % 2 === 0 ? 'QBACKLOG1' : 'QBACKLOG2', 8600 + (k % 2), k)));
      // The workers run behind the webhooks' 202: wait until the backlog has stopped growing.
      for (let last = -1, now = await pending(); now > last; last = now, now = await pending()) await pause(300);
    }
    for (let i = 0; i < P1S; i++) {
      const number = 8610 + i;
      const [triggered] = pagerDutyIncidentScenario({ incidentId: `QBENCHP1${i}`, number });
      if (!triggered) throw new Error('empty scenario');
      waitingAtSend.push(await pending());
      const isBrief = () =>
        slack.calls.some((c) => c.method === 'chat.postMessage' && c.args.thread_ts === undefined && String(c.args.text).includes(`#${number}`));
      const started = performance.now();
      await send(triggered);
      while (!isBrief() && performance.now() - started < 30_000) await pause(5);
      latencies.push(isBrief() ? performance.now() - started : Number.POSITIVE_INFINITY);
      await pause(2_000);
    }
  } finally {
    await service.stop();
    await slack.close();
  }
  return [
    {
      id: 'attention.p1_brief_latency.max',
      label: `webhook POST to the P1 brief's chat.postMessage with ${Math.min(...waitingAtSend)}-${Math.max(...waitingAtSend)} documents waiting for the paced channel (thread replies of two P2 briefs), npm start, template writer; ${P1S} P1s: ${latencies.map((ms) => Math.round(ms)).join(', ')} ms`,
      value: round(Math.max(...latencies) / 1000, 2),
      unit: 's',
      target: 5,
      better: 'lower',
    },
    { id: 'attention.p1_brief_latency.p50', label: 'the same, median', value: round(percentile(latencies, 50) / 1000, 2), unit: 's', better: 'lower' },
  ];
}

/**
 * attention.slack_back.first/last: the real outbox and @slack/web-api against the fake Slack on
 * virtual time (a second of it costs nothing). Slack answers 503 for 40 s while 40 documents are
 * written, one a second, in two channels (briefs with three replies each), the sweeper running
 * every 5 s; then Slack is back and the sweeper runs every second, as the local runtime's does.
 * Seconds from Slack's return to the first and the last delivery of that backlog.
 */
export async function benchSlackBack(db: DynamoDBDocumentClient): Promise<Figure[]> {
  const tableName = `bench-back-${Date.now()}`;
  await createTableIfMissing(db, tableName);
  const timing = virtualTiming(new Date('2026-11-24T08:00:00.000Z'));
  const slack = await startFakeSlack({ now: timing.nowMs });
  try {
    const chat = new SlackChat({ token: 'fake-slack-token-for-bench', apiUrl: slack.apiUrl, timeoutMs: 5_000 });
    const parts = createOutbox(db, tableName, chat, () => {}, { timing, random: () => 0.5 });
    const blocks = (text: string) => [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text, verbatim: true } }];
    slack.down(503);
    const written: string[] = [];
    for (let i = 0; i < 40; i++) {
      const brief = `brief#${i - (i % 4)}`;
      const id = i % 4 === 0 ? brief : `${brief}#reply#${i}`;
      const channel = i % 8 < 4 ? 'C0BACKONE' : 'C0BACKTWO';
      await parts.outbox.send({
        id,
        kind: i % 4 === 0 ? 'incident.brief' : 'incident.update',
        channel,
        text: id,
        blocks: blocks(id),
        ...(i % 4 === 0 ? {} : { parentId: brief }),
      });
      written.push(id);
      timing.advance(1_000);
      if (i % 5 === 4) await sweepOutbox(parts, { budgetMs: 5_000 });
    }
    slack.up();
    const back = timing.nowMs();
    while (timing.nowMs() - back < 10 * 60_000 && (await outboxBacklog(parts.store, timing.now())).pending > 0) {
      timing.advance(1_000);
      await sweepOutbox(parts, { budgetMs: 5_000 });
    }
    const delivered = (await Promise.all(written.map((id) => parts.outbox.get(id)))).map((record) => Date.parse(record?.deliveredAt ?? '') - back);
    const missing = delivered.filter(Number.isNaN).length;
    const times = delivered.filter((ms) => !Number.isNaN(ms)).sort((a, b) => a - b);
    const note = missing > 0 ? `; ${missing} not delivered within 10 min` : '';
    return [
      {
        id: 'attention.slack_back.first',
        label: `from Slack's return to the first delivery of a 40 s outage's backlog (40 documents, two channels), virtual time${note}`,
        value: round((times[0] ?? Number.NaN) / 1000, 1),
        unit: 's',
        target: 5,
        better: 'lower',
      },
      {
        id: 'attention.slack_back.last',
        label: `the same, to the last delivery (20 documents a channel at one post a second)${note}`,
        value: round((times.at(-1) ?? Number.NaN) / 1000, 1),
        unit: 's',
        better: 'lower',
      },
    ];
  } finally {
    await slack.close();
  }
}
