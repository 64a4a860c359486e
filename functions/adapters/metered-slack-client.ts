import { WebClient, type WebAPICallResult } from '@slack/web-api';
import { MetricNames } from '../core/metric-names';
import { metrics } from '../core/metrics';

/**
 * `@slack/web-api`'s client, counting every Web API call that fails after the client's own
 * retries (`SlackFailures` by method). Every method (`chat.postMessage`, `views.open`, …) goes
 * through `apiCall`, so methods added to the adapter later are counted without more code.
 */
export class MeteredWebClient extends WebClient {
  override async apiCall(method: string, options?: Record<string, unknown>): Promise<WebAPICallResult> {
    try {
      return await super.apiCall(method, options);
    } catch (error) {
      metrics.record(MetricNames.slackFailures, 1, 'Count', { method });
      throw error;
    }
  }
}
