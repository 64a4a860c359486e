import type { EventPattern, PatternValue } from './routing';

/**
 * Matches an EventBridge-shaped event against a pattern with EventBridge semantics for the
 * subset the routing table uses: arrays are "any of", nested objects descend, and the
 * `prefix`, `anything-but` and `exists` operators. Arrays in the event match when any
 * element matches. An unsupported operator throws, so the local bus never silently
 * disagrees with EventBridge.
 */
export function matchesPattern(event: unknown, pattern: EventPattern): boolean {
  if (typeof event !== 'object' || event === null) return false;
  const record = event as Record<string, unknown>;
  return Object.entries(pattern).every(([key, expected]) => {
    const actual = record[key];
    if (Array.isArray(expected)) return matchesValues(actual, expected);
    return matchesPattern(actual, expected);
  });
}

function matchesValues(actual: unknown, allowed: PatternValue[]): boolean {
  const candidates = Array.isArray(actual) ? actual : [actual];
  return allowed.some((rule) => {
    if (rule !== null && typeof rule === 'object') {
      if ('exists' in rule) return rule.exists === (actual !== undefined);
      return candidates.some((value) => matchesOperator(value, rule));
    }
    return candidates.some((value) => value === rule);
  });
}

function matchesOperator(value: unknown, rule: Exclude<PatternValue, string | number | boolean | null>): boolean {
  if ('prefix' in rule) return typeof value === 'string' && value.startsWith(rule.prefix);
  if ('anything-but' in rule) {
    if (value === undefined) return false;
    const excluded = Array.isArray(rule['anything-but']) ? rule['anything-but'] : [rule['anything-but']];
    return !excluded.includes(value as string | number);
  }
  throw new Error(`Unsupported event-pattern operator: ${JSON.stringify(rule)}`);
}
