import { ashbySource } from './ashby';
import { gitHubSource } from './github';
import { greenhouseSource } from './greenhouse';
import { jiraSource } from './jira';
import { leverSource } from './lever';
import { pagerDutySource } from './pagerduty';
import type { WebhookSource } from './types';

/** Every webhook source the service accepts. Adding a vendor is one folder plus one line here. */
export const sources: readonly WebhookSource[] = [pagerDutySource, jiraSource, leverSource, greenhouseSource, ashbySource, gitHubSource];

/** The source served at `POST /webhooks/{name}`, if any. */
export function findSource(name: string): WebhookSource | undefined {
  return sources.find((source) => source.name === name);
}
