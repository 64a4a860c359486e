import { Metrics as PowertoolsMetrics, MetricUnit as PowertoolsUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, METRICS_SERVICE, type MetricName } from '../core/metric-names';
import type { MetricUnit, Metrics } from '../ports/metrics';

const units: Record<MetricUnit, (typeof PowertoolsUnit)[keyof typeof PowertoolsUnit]> = {
  Count: PowertoolsUnit.Count,
  Seconds: PowertoolsUnit.Seconds,
  Percent: PowertoolsUnit.Percent,
  None: PowertoolsUnit.NoUnit,
};

/**
 * CloudWatch embedded metric format through Powertools: aggregates are buffered and written
 * as one log line per invocation (`flush`), each breakdown as its own line with its dimensions.
 */
export class EmfMetrics implements Metrics {
  private readonly emf = new PowertoolsMetrics({ namespace: METRICS_NAMESPACE, serviceName: METRICS_SERVICE });

  record(name: MetricName, value: number, unit: MetricUnit = 'Count', breakdown: Readonly<Record<string, string>> = {}): void {
    if (!Number.isFinite(value)) return;
    this.emf.addMetric(name, units[unit], value);
    if (Object.keys(breakdown).length > 0) {
      const single = this.emf.singleMetric();
      single.addDimensions({ ...breakdown });
      single.addMetric(name, units[unit], value);
    }
  }

  /** The `ColdStart` metric, once per container. */
  captureColdStart(functionName?: string): void {
    this.emf.captureColdStartMetric(functionName);
  }

  /** Writes what this invocation recorded; nothing (and no warning) when it recorded nothing. */
  flush(): void {
    if (this.emf.hasStoredMetrics()) this.emf.publishStoredMetrics();
  }
}
