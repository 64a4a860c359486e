import { execFileSync } from 'node:child_process';
import { createDocumentClient } from '../functions/adapters/dynamo-client';
import { dynamoReadiness } from '../functions/adapters/dynamo-health';
import { SlackChat } from '../functions/adapters/slack-chat';
import { setupFix } from '../functions/outbox/setup-problems';
import { ChatDeliveryError } from '../functions/ports/chat';
import { configuredChannels, loadRuntimeConfig, type RuntimeConfig } from '../local/runtime-config';
import { EVENT_SCOPES, METHOD_SCOPES } from './slack-manifest';

type Env = Record<string, string | undefined>;

export interface Check {
  ok: boolean;
  name: string;
  /** What was found, or, when not ok, what to fix. */
  detail: string;
}

/** Every scope the code needs: its Slack calls and the events it subscribes to (the lists the manifest is checked against). */
export function neededScopes(): string[] {
  return [...new Set([...Object.values(METHOD_SCOPES), ...Object.values(EVENT_SCOPES)].flat())].sort();
}

/**
 * `npm run doctor`: checks a configuration before anyone relies on it, with the variables of
 * the environment it runs in: every variable parsed as `npm start` parses it, the Slack token
 * (`auth.test`), its scopes against those the code needs, each configured channel's id and the
 * app's membership (`conversations.info`), and DynamoDB. Works against real Slack and against a
 * fake (`SLACK_API_URL`).
 */
export async function runDoctor(env: Env, onCheck: (check: Check) => void = () => {}): Promise<Check[]> {
  const checks: Check[] = [];
  const report = (check: Check) => {
    checks.push(check);
    onCheck(check);
  };

  let config: RuntimeConfig | undefined;
  try {
    config = loadRuntimeConfig(env);
    report({ ok: true, name: 'environment', detail: 'every variable parses' });
  } catch (error) {
    report({ ok: false, name: 'environment', detail: error instanceof Error ? error.message : String(error) });
  }

  if (!env.SLACK_BOT_TOKEN) {
    report({ ok: true, name: 'slack', detail: 'SLACK_BOT_TOKEN unset: documents go to the local inbox, Slack is not checked' });
  } else {
    const slack = new SlackChat({ token: env.SLACK_BOT_TOKEN, apiUrl: env.SLACK_API_URL || undefined, timeoutMs: 10_000 });
    if (await checkToken(slack, report)) {
      for (const check of await checkChannels(slack, config)) report(check);
    }
  }

  report(await checkDynamo(env, config));
  return checks;
}

/** `auth.test` and the scopes it reports; false when the token does not work (channel checks would only repeat it). */
async function checkToken(slack: SlackChat, report: (check: Check) => void): Promise<boolean> {
  try {
    const who = await slack.authTest();
    report({ ok: true, name: 'slack token', detail: `auth.test: ${who.user ?? 'the app'} in ${who.team ?? 'the workspace'}` });
    const missing = neededScopes().filter((scope) => !who.scopes.includes(scope));
    report(
      missing.length === 0
        ? { ok: true, name: 'slack scopes', detail: `the token carries every scope the code needs (${neededScopes().join(', ')})` }
        : {
            ok: false,
            name: 'slack scopes',
            detail: `the token lacks ${missing.join(', ')}: add them to the app (slack/manifest.yml has them) and reinstall it`,
          },
    );
    return true;
  } catch (error) {
    if (!(error instanceof ChatDeliveryError)) throw error;
    const fix = error.outcome === 'rejected' ? setupFix(error.code, '') : `Slack did not answer auth.test (${error.code}): check SLACK_API_URL and the network`;
    report({ ok: false, name: 'slack token', detail: fix });
    return false;
  }
}

/** Each configured channel (once, however many variables name it): an id, and the app a member. */
async function checkChannels(slack: SlackChat, config: RuntimeConfig | undefined): Promise<Check[]> {
  if (!config) return [];
  const byChannel = new Map<string, string[]>();
  for (const { variable, channel } of configuredChannels(config)) byChannel.set(channel, [...(byChannel.get(channel) ?? []), variable]);
  const checks: Check[] = [];
  for (const [channel, variables] of byChannel) {
    const name = `channel ${variables.join(', ')}`;
    if (!/^[CG][A-Z0-9]{2,}$/.test(channel)) {
      checks.push({
        ok: false,
        name,
        detail: `"${channel}" is not a channel id: set ${variables.join(' and ')} to the channel's id (C…, from its details in Slack); the outbox finds its earlier posts by id`,
      });
      continue;
    }
    try {
      const info = await slack.describeChannel(channel);
      const label = info.name ? `${channel} (#${info.name})` : channel;
      if (info.isArchived) checks.push({ ok: false, name, detail: setupFix('is_archived', label) });
      else if (info.isMember === false) checks.push({ ok: false, name, detail: setupFix('not_in_channel', label) });
      else checks.push({ ok: true, name, detail: `${label}: the app is a member` });
    } catch (error) {
      if (!(error instanceof ChatDeliveryError)) throw error;
      checks.push({
        ok: false,
        name,
        detail: error.outcome === 'rejected' ? setupFix(error.code, channel, error.needed) : `Slack did not answer conversations.info (${error.code})`,
      });
    }
  }
  return checks;
}

/** The table through DYNAMODB_ENDPOINT when set; otherwise what `npm start` needs to run DynamoDB Local (Java). */
async function checkDynamo(env: Env, config: RuntimeConfig | undefined): Promise<Check> {
  const tableName = config?.tableName ?? env.TABLE_NAME ?? 'exec-eng-lead';
  if (!env.DYNAMODB_ENDPOINT) {
    try {
      const version = execFileSync('java', ['-version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) || '';
      return {
        ok: true,
        name: 'dynamodb',
        detail: `DYNAMODB_ENDPOINT unset: npm start runs DynamoDB Local (java found${version ? `: ${version.split('\n')[0]}` : ''})`,
      };
    } catch {
      return {
        ok: false,
        name: 'dynamodb',
        detail: 'DYNAMODB_ENDPOINT unset and no java on PATH: install Java 17+ for DynamoDB Local, or set DYNAMODB_ENDPOINT',
      };
    }
  }
  // Bounded, so a DynamoDB that hangs is reported rather than waited on.
  const db = createDocumentClient({
    endpoint: env.DYNAMODB_ENDPOINT,
    limits: { connectionTimeoutMs: 2_000, requestTimeoutMs: 5_000, maxAttempts: 2, deadlineMs: 8_000 },
  });
  try {
    const readiness = await dynamoReadiness(db, tableName);
    // A table not created yet is fine: npm start creates it.
    if (readiness.ready || /ResourceNotFound|non-existent table|not found/i.test(readiness.reason)) {
      return { ok: true, name: 'dynamodb', detail: `${env.DYNAMODB_ENDPOINT} answers (table ${tableName}${readiness.ready ? '' : ', created by npm start'})` };
    }
    return { ok: false, name: 'dynamodb', detail: `${readiness.reason}. Start it, or fix DYNAMODB_ENDPOINT` };
  } finally {
    db.destroy();
  }
}

async function main(): Promise<void> {
  const checks = await runDoctor(process.env, (check) => console.log(`${check.ok ? 'ok  ' : 'FAIL'}  ${check.name}: ${check.detail}`));
  const failed = checks.filter((check) => !check.ok);
  if (failed.length > 0) {
    console.log(`\n${failed.length} to fix: ${failed.map((check) => check.name).join('; ')}`);
    process.exitCode = 1;
  } else {
    console.log('\nall checks passed');
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(`doctor failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  });
}
