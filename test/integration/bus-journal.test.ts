import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createDocumentClient, LOCAL_INGEST_DYNAMO_LIMITS } from '../../functions/adapters/dynamo-client';
import { BUS_JOURNAL_PK, DynamoBusJournal } from '../../functions/adapters/dynamo-bus-journal';
import { LocalBus, type Worker } from '../../functions/adapters/local-bus';
import type { CanonicalEvent } from '../../functions/core/canonical-event';
import { routes, type WorkerName } from '../../functions/core/routing';
import { StoreUnavailableError } from '../../functions/ports/store-unavailable';
import { freshTable } from '../support/dynamo';
import { incidentEventAt } from '../support/incident-events';

const START = new Date('2026-11-30T08:00:00Z');

/** Workers that record what they were given, in order; `hold` keeps them from finishing (a process about to die). */
function recordingWorkers(options: { hold?: Promise<void>; fail?: WorkerName } = {}) {
  const seen: { worker: WorkerName; eventId: string }[] = [];
  const make =
    (worker: WorkerName): Worker =>
    async (event) => {
      seen.push({ worker, eventId: event.id });
      if (options.fail === worker) throw new Error(`${worker} worker is down`);
      await options.hold;
    };
  const workers = { incident: make('incident'), history: make('history'), approval: make('approval'), escalation: make('escalation'), answer: make('answer') };
  return { seen, workers };
}

const journalItems = async (table: Awaited<ReturnType<typeof freshTable>>) => (await table.items()).filter((item) => item.pk === BUS_JOURNAL_PK);

describe('the local bus journal: accepted events survive the process', () => {
  it('records every route of an event before publish resolves, and forgets it once each route has finished', async () => {
    // Prepare
    const table = await freshTable('journal');
    let release = () => {};
    const hold = new Promise<void>((resolve) => (release = resolve));
    const { workers } = recordingWorkers({ hold });
    const bus = new LocalBus(routes, workers, { journal: new DynamoBusJournal(table.db, table.tableName) });
    // Act
    await bus.publish([incidentEventAt(START, 'incident.triggered', 0, { incidentId: 'QJ1', priority: 'P1' })]);
    // Assess: both incident routes are pending while the workers run
    const pending = await journalItems(table);
    expect(pending).toHaveLength(1);
    expect([...(pending[0]?.routes as Set<string>)].sort()).toEqual(['IncidentEventsToEscalationWorker', 'IncidentEventsToIncidentWorker']);
    release();
    await bus.drain();
    expect(await journalItems(table)).toEqual([]);
  });

  it('after a crash, a new bus replays only what was not finished, in order of occurrence, and each route once', async () => {
    // Prepare: three incident events published out of order; the incident worker finishes, the escalation worker never does
    const table = await freshTable('journal');
    const journal = new DynamoBusJournal(table.db, table.tableName);
    const never = new Promise<void>(() => {});
    const first = recordingWorkers();
    const slowEscalation: Record<WorkerName, Worker> = { ...first.workers, escalation: () => never };
    const dying = new LocalBus(routes, slowEscalation, { journal });
    const events = [
      incidentEventAt(START, 'incident.acknowledged', 7, { incidentId: 'QJ2' }),
      incidentEventAt(START, 'incident.triggered', 0, { incidentId: 'QJ2', priority: 'P1' }),
      incidentEventAt(START, 'incident.resolved', 30, { incidentId: 'QJ2' }),
    ];
    for (const event of events) await dying.publish([event]);
    await waitUntil(
      async () =>
        first.seen.filter((s) => s.worker === 'incident').length === 3 && (await journalItems(table)).every((item) => (item.routes as Set<string>).size === 1),
    );
    // Act: the process is gone (`dying` is abandoned); the next one starts on the same table
    const second = recordingWorkers();
    const restarted = new LocalBus(routes, second.workers, { journal });
    const unfinished = await journal.unfinished();
    const report = await restarted.replay(unfinished);
    // Assess
    expect(unfinished.map((entry) => entry.event.type)).toEqual(['incident.triggered', 'incident.acknowledged', 'incident.resolved']);
    expect(second.seen).toEqual([
      { worker: 'escalation', eventId: 'QJ2-incident.triggered-0' },
      { worker: 'escalation', eventId: 'QJ2-incident.acknowledged-7' },
      { worker: 'escalation', eventId: 'QJ2-incident.resolved-30' },
    ]);
    expect(report).toMatchObject({ events: 3, deliveries: 3, failed: 0, deadLetteredBefore: 0, unknownRoutes: 0 });
    expect(await journalItems(table)).toEqual([]);
  });

  it('keeps a dead-lettered delivery for the next start, and says so when it replays it', async () => {
    // Prepare
    const table = await freshTable('journal');
    const journal = new DynamoBusJournal(table.db, table.tableName);
    const failing = recordingWorkers({ fail: 'escalation' });
    const letters: string[] = [];
    const bus = new LocalBus(routes, failing.workers, { journal, retryDelaysMs: [1], onDeadLetter: (letter) => letters.push(letter.route) });
    // Act
    await bus.publish([incidentEventAt(START, 'incident.triggered', 0, { incidentId: 'QJ3', priority: 'P1' })]);
    await bus.drain();
    // Assess
    expect(letters).toEqual(['IncidentEventsToEscalationWorker']);
    const [left] = await journal.unfinished();
    expect(left?.routeIds).toEqual(['IncidentEventsToEscalationWorker']);
    expect(left?.deadLetterError).toContain('escalation worker is down');
    const healthy = recordingWorkers();
    const report = await new LocalBus(routes, healthy.workers, { journal }).replay(await journal.unfinished());
    expect(report).toMatchObject({ events: 1, deliveries: 1, deadLetteredBefore: 1, failed: 0 });
    expect(healthy.seen).toEqual([{ worker: 'escalation', eventId: 'QJ3-incident.triggered-0' }]);
    expect(await journalItems(table)).toEqual([]);
  });

  it('drops the record of a route the routing table no longer has, without calling any worker', async () => {
    // Prepare
    const table = await freshTable('journal');
    const journal = new DynamoBusJournal(table.db, table.tableName);
    await journal.accepted([{ event: incidentEventAt(START, 'incident.triggered', 0, { incidentId: 'QJ4' }), routeIds: ['RetiredRoute'] }]);
    const { seen, workers } = recordingWorkers();
    // Act
    const report = await new LocalBus(routes, workers, { journal }).replay(await journal.unfinished());
    // Assess
    expect(report).toMatchObject({ events: 1, deliveries: 0, unknownRoutes: 1 });
    expect(seen).toEqual([]);
    expect(await journalItems(table)).toEqual([]);
  });

  it('tidies away a record whose routes all finished but whose delete was lost', async () => {
    // Prepare: what a timed-out delete leaves behind
    const table = await freshTable('journal');
    const journal = new DynamoBusJournal(table.db, table.tableName);
    const event = incidentEventAt(START, 'incident.triggered', 0, { incidentId: 'QJ7' });
    await journal.accepted([{ event, routeIds: ['IncidentEventsToIncidentWorker'] }]);
    await table.db.send(
      new UpdateCommand({
        TableName: table.tableName,
        Key: { pk: BUS_JOURNAL_PK, sk: String((await journalItems(table))[0]?.sk) },
        UpdateExpression: 'REMOVE #routes',
        ExpressionAttributeNames: { '#routes': 'routes' },
      }),
    );
    // Act
    const unfinished = await journal.unfinished();
    // Assess
    expect(unfinished).toEqual([]);
    expect(await journalItems(table)).toEqual([]);
  });

  it('refuses the publish when the journal cannot be written, so ingest answers 503 and the sender retries', async () => {
    // Prepare: nothing listens on port 1
    const db = createDocumentClient({ endpoint: 'http://127.0.0.1:1', limits: LOCAL_INGEST_DYNAMO_LIMITS });
    const { seen, workers } = recordingWorkers();
    const bus = new LocalBus(routes, workers, { journal: new DynamoBusJournal(db, 'nowhere') });
    // Act / Assess
    await expect(bus.publish([incidentEventAt(START, 'incident.triggered', 0, { incidentId: 'QJ5' })])).rejects.toBeInstanceOf(StoreUnavailableError);
    await bus.drain();
    expect(seen).toEqual([]);
    db.destroy();
  });

  it('keeps the order of occurrence across events published together and a republished event', async () => {
    // Prepare
    const table = await freshTable('journal');
    const journal = new DynamoBusJournal(table.db, table.tableName);
    const events: CanonicalEvent[] = [5, 1, 3].map((minute) => incidentEventAt(START, 'incident.annotated', minute, { incidentId: 'QJ6' }));
    // Act: accepted twice (a redelivery republishes), never finished
    await journal.accepted(events.map((event) => ({ event, routeIds: ['IncidentEventsToIncidentWorker'] })));
    await journal.accepted([{ event: events[0] as CanonicalEvent, routeIds: ['IncidentEventsToIncidentWorker'] }]);
    // Assess
    expect((await journal.unfinished()).map((entry) => entry.event.id)).toEqual([
      'QJ6-incident.annotated-1',
      'QJ6-incident.annotated-3',
      'QJ6-incident.annotated-5',
    ]);
  });
});

async function waitUntil(done: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
