import type { CanonicalEvent, FactValue } from '../core/canonical-event';

/** Longest free-text fact carried on the bus; when one is clipped, the delivery record keeps the full payload. */
export const MAX_FACT_CHARS = 2000;
export const MAX_FACT_ITEMS = 50;

/**
 * Clips free-text facts so every event stays far below EventBridge's 256 KB entry limit
 * whatever a sender puts in a description or note. Marks what it clipped in
 * `facts.trimmedFacts`, so a reader knows the text is partial.
 */
export function trimForBus(event: CanonicalEvent): CanonicalEvent {
  const trimmed: string[] = [];
  const facts: Record<string, FactValue> = {};
  for (const [key, value] of Object.entries(event.facts)) {
    if (typeof value === 'string' && value.length > MAX_FACT_CHARS) {
      facts[key] = `${[...value].slice(0, MAX_FACT_CHARS - 1).join('')}…`;
      trimmed.push(key);
    } else if (Array.isArray(value) && (value.length > MAX_FACT_ITEMS || value.some((item) => item.length > 200))) {
      facts[key] = value.slice(0, MAX_FACT_ITEMS).map((item) => (item.length > 200 ? `${item.slice(0, 199)}…` : item));
      trimmed.push(key);
    } else {
      facts[key] = value;
    }
  }
  if (trimmed.length === 0) return event;
  return { ...event, facts: { ...facts, trimmedFacts: trimmed } };
}

/** Whether `trimForBus` clipped something of this event (the delivery then keeps the full body). */
export function wasTrimmed(event: CanonicalEvent): boolean {
  return event.facts.trimmedFacts !== undefined;
}
