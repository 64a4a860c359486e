import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizedEvents } from '../support/source-contract';
import { canonicalEventSchema } from '../../functions/core/canonical-event';
import { handledPagerDutyEventTypes, normalizePagerDutyEvent } from '../../functions/sources/pagerduty/normalize';
import { PayloadInvalidError } from '../../functions/sources/types';
import { pagerDutyIncidentScenario } from '../../local/scenarios/pagerduty-incident';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/pagerduty/${name}.json`, import.meta.url), 'utf8'));

const eventsOf = (payload: unknown) => normalizedEvents(normalizePagerDutyEvent, payload, 'delivery-1');

describe('normalizePagerDutyEvent', () => {
  it('maps the documented incident.triggered payload to a canonical incident event', () => {
    const [event] = eventsOf(fixture('incident-triggered'));
    expect(canonicalEventSchema.parse(event)).toEqual(event);
    expect(event).toMatchObject({
      id: '01DEN4HPBQAAAG05V5QQYBRZMF',
      source: 'pagerduty',
      type: 'incident.triggered',
      occurredAt: '2020-04-09T15:16:27.000Z',
      deliveryId: 'delivery-1',
      subject: { kind: 'incident', id: 'PGR0VU2', key: '#2', title: 'A little bump in the road', url: 'https://acme.pagerduty.com/incidents/PGR0VU2' },
      priority: 'P1',
      facts: {
        status: 'triggered',
        urgency: 'high',
        service: 'API Service',
        assignees: ['User 123'],
        teams: ['Engineering'],
        escalationPolicy: 'Default',
        createdAt: '2020-04-09T15:16:27Z',
      },
    });
    expect(event?.actors).toContainEqual({ role: 'agent', name: 'Tenex Engineer', id: 'PLH1HKV' });
    expect(event?.links.map((link) => link.label)).toEqual(['PagerDuty incident #2', 'Conference bridge']);
  });

  it('maps a note and a status update to their incident, keeping the text', () => {
    const [note] = eventsOf(fixture('incident-annotated'));
    expect(note).toMatchObject({ type: 'incident.annotated', subject: { id: 'PGR0VU2' }, facts: { note: 'I sure am glad we are using PagerDuty!' } });
    const [update] = eventsOf(fixture('incident-status-update-published'));
    expect(update).toMatchObject({
      type: 'incident.status_update_published',
      subject: { id: 'PGR0VU2' },
      facts: { statusUpdate: 'A fix for this incident is being developed' },
    });
  });

  it('normalises every handled event type of a full lifecycle', () => {
    const types = pagerDutyIncidentScenario().flatMap((delivery) => eventsOf(JSON.parse(delivery.body)).map((event) => event.type));
    for (const type of handledPagerDutyEventTypes.filter((t) => t !== 'incident.reassigned')) expect(types).toContain(type);
  });

  it('accepts and ignores event types the service does not use, with a reason', () => {
    const result = normalizePagerDutyEvent(fixture('service-updated'), 'delivery-2');
    expect(result).toEqual({ ignored: true, reason: expect.stringContaining('service.updated') });
    const ping = normalizePagerDutyEvent({ event: { id: 'x', event_type: 'pagey.ping', occurred_at: '2026-11-24T09:00:00Z', data: {} } }, 'd');
    expect(ping.ignored).toBe(true);
  });

  it('rejects wrong types with an error naming the field', () => {
    const payload = fixture('incident-triggered');
    payload.event.data.number = 'two';
    expect(() => normalizePagerDutyEvent(payload, 'd')).toThrow(PayloadInvalidError);
    expect(() => normalizePagerDutyEvent(payload, 'd')).toThrow(/event\.data\.number/);
    expect(() => normalizePagerDutyEvent({ event: { id: 'x' } }, 'd')).toThrow(/event\.event_type/);
    expect(() => normalizePagerDutyEvent([], 'd')).toThrow(PayloadInvalidError);
  });

  it('drops non-http links rather than passing them to Slack', () => {
    const payload = fixture('incident-triggered');
    payload.event.data.html_url = 'javascript:alert(1)';
    payload.event.data.conference_bridge.conference_url = 'data:text/html,hi';
    const [event] = eventsOf(payload);
    expect(event?.subject.url).toBeUndefined();
    expect(event?.links).toEqual([]);
  });
});
