import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { apiUrlArgument, fail } from './cli';

const USAGE =
  'usage: npm run slack:manifest -- --api-url <WebhookApiUrl>   (the service stack output, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com/)';

/** Where the manifest lives, relative to the repository root. */
export const MANIFEST_PATH = new URL('../slack/manifest.yml', import.meta.url);

/** The interactivity path below the API's base URL (lib/service-stack.ts INTERACTIONS_ROUTE_PATH). */
const INTERACTIONS_PATH = 'slack/interactions';
/** The Events API path below the API's base URL (lib/service-stack.ts SLACK_EVENTS_ROUTE_PATH). */
const EVENTS_PATH = 'slack/events';

/**
 * The bot scopes each Slack Web API method the service calls needs, from Slack's method
 * reference. History methods need one scope per kind of channel read; the outbox only reads
 * public and private channels. `views.open` needs no scope (it acts on a trigger id from a user's click).
 */
export const METHOD_SCOPES: Readonly<Record<string, readonly string[]>> = {
  'chat.postMessage': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'views.open': [],
  // The outbox's probe for Slack's return, and the doctor's token check.
  'auth.test': [],
  'conversations.history': ['channels:history', 'groups:history'],
  'conversations.replies': ['channels:history', 'groups:history'],
  // A channel's name and the app's membership: the setup-problem log and npm run doctor.
  'conversations.info': ['channels:read', 'groups:read'],
  'assistant.threads.setStatus': ['assistant:write'],
  'assistant.threads.setSuggestedPrompts': ['assistant:write'],
};

/**
 * The bot scope each Events API subscription needs (Slack's event reference). The service
 * subscribes to exactly the events `functions/ask/slack-events.ts` handles (HANDLED_SLACK_EVENTS).
 */
export const EVENT_SCOPES: Readonly<Record<string, readonly string[]>> = {
  app_mention: ['app_mentions:read'],
  'message.im': ['im:history'],
  assistant_thread_started: ['assistant:write'],
};

/** The manifest with its interactivity URL set to `<apiUrl>slack/interactions` and its events URL to `<apiUrl>slack/events`, as YAML. */
export function filledManifest(apiUrl: string, source = readFileSync(MANIFEST_PATH, 'utf8')): string {
  let base: URL;
  try {
    base = new URL(apiUrl.endsWith('/') ? apiUrl : `${apiUrl}/`);
  } catch {
    throw new Error(`--api-url is not a URL: "${apiUrl}"`);
  }
  if (base.protocol !== 'https:') throw new Error(`--api-url must be https (Slack refuses plain http): "${apiUrl}"`);
  const document = parseDocument(source);
  document.setIn(['settings', 'interactivity', 'request_url'], new URL(INTERACTIONS_PATH, base).toString());
  document.setIn(['settings', 'event_subscriptions', 'request_url'], new URL(EVENTS_PATH, base).toString());
  return document.toString();
}

function main(): void {
  const apiUrl = apiUrlArgument(USAGE);
  try {
    process.stdout.write(filledManifest(apiUrl));
  } catch (error) {
    fail(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
