import type { MetricName } from '../core/metric-names';

export type MetricUnit = 'Count' | 'Seconds' | 'Percent' | 'None';

/**
 * Operational figures (EMF in Lambda, nothing locally). `breakdown` adds one series per
 * combination of its values next to the service-wide aggregate the alarms watch; its values
 * must come from a small fixed set (source names, reasons, kinds), never from payloads.
 */
export interface Metrics {
  record(name: MetricName, value: number, unit?: MetricUnit, breakdown?: Readonly<Record<string, string>>): void;
}

/** Drops everything: the local runtime's and the tests' default. */
export const noMetrics: Metrics = { record: () => {} };

/** Keeps every record in memory, for tests. */
export class MemoryMetrics implements Metrics {
  readonly records: { name: MetricName; value: number; unit: MetricUnit; breakdown: Record<string, string> }[] = [];

  record(name: MetricName, value: number, unit: MetricUnit = 'Count', breakdown: Readonly<Record<string, string>> = {}): void {
    this.records.push({ name, value, unit, breakdown: { ...breakdown } });
  }

  /** Sum of the values recorded under `name` whose breakdown includes `where`. */
  total(name: MetricName, where: Readonly<Record<string, string>> = {}): number {
    return this.records
      .filter((r) => r.name === name && Object.entries(where).every(([key, value]) => r.breakdown[key] === value))
      .reduce((sum, r) => sum + r.value, 0);
  }
}
