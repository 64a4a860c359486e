import { pagerDutyIncidentScenario, type ScenarioDelivery } from './pagerduty-incident';

/** The same delivery with another priority on every event that carries one. */
export function withPriority(delivery: ScenarioDelivery, priority: string): ScenarioDelivery {
  const body = JSON.parse(delivery.body) as { event: { data: { priority?: { id: string; summary: string } } } };
  if (body.event.data.priority) body.event.data.priority = { ...body.event.data.priority, id: `PRI${priority}`, summary: priority };
  return { ...delivery, body: JSON.stringify(body) };
}

export interface StormOptions {
  /** Incident ids are `<prefix><i>`; numbers count up from `firstNumber`. */
  prefix: string;
  firstNumber: number;
  count: number;
  start: Date;
  /** Between one trigger and the next. */
  spacingMs: number;
  priority: (index: number) => string;
}

const SERVICES = ['Edge Network', 'Email Delivery', 'Image Resizer', 'Status Page'];

/**
 * A storm: `count` incidents triggered one after another (PagerDuty `incident.triggered` only), on
 * services no repository deploys (so no DORA figure moves), each with the time it is sent at.
 */
export function pagerDutyStorm(options: StormOptions): { at: number; delivery: ScenarioDelivery }[] {
  return Array.from({ length: options.count }, (_, i) => {
    const at = new Date(options.start.getTime() + i * options.spacingMs);
    const service = SERVICES[i % SERVICES.length] ?? 'Edge Network';
    const [triggered] = pagerDutyIncidentScenario({
      incidentId: `${options.prefix}${i}`,
      number: options.firstNumber + i,
      title: `${service} unavailable in eu-west-1`,
      start: at,
    });
    if (!triggered) throw new Error('the incident scenario has no trigger');
    const body = JSON.parse(withPriority(triggered, options.priority(i)).body) as { event: { data: { service: { summary: string } } } };
    body.event.data.service = { ...body.event.data.service, summary: service };
    return { at: at.getTime(), delivery: { ...triggered, body: JSON.stringify(body) } };
  });
}
