import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { HANDLED_SLACK_EVENTS } from '../../functions/ask/slack-events';
import { EVENT_SCOPES, filledManifest, MANIFEST_PATH, METHOD_SCOPES } from '../../scripts/slack-manifest';

interface Manifest {
  _metadata: { major_version: number };
  features: { bot_user?: { display_name: string } };
  oauth_config: { scopes: { bot: string[]; user?: string[] } };
  settings: { interactivity: { is_enabled: boolean; request_url: string }; event_subscriptions: { request_url: string; bot_events: string[] } };
}

const root = fileURLToPath(new URL('../..', import.meta.url));
const manifest = parse(readFileSync(MANIFEST_PATH, 'utf8')) as Manifest;

/** Every `.ts` file under `dir`. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : full.endsWith('.ts') ? [full] : [];
  });
}

// Web API namespaces of @slack/web-api's client (the Anthropic client's `messages` is not one).
const SLACK_NAMESPACES = [
  'admin',
  'apps',
  'assistant',
  'auth',
  'bookmarks',
  'bots',
  'calls',
  'canvases',
  'chat',
  'conversations',
  'dnd',
  'emoji',
  'files',
  'pins',
  'reactions',
  'reminders',
  'search',
  'team',
  'usergroups',
  'users',
  'views',
  'workflows',
];
const CALL = new RegExp(`\\.(${SLACK_NAMESPACES.join('|')})\\.([a-zA-Z]+(?:\\.[a-zA-Z]+)?)\\(`, 'g');
const API_CALL = /\.apiCall\(\s*'([a-z]+\.[a-zA-Z.]+)'/g;

/** Slack Web API methods the deployed code calls, read from every function file that uses @slack/web-api's client. */
function methodsCalled(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of sourceFiles(path.join(root, 'functions'))) {
    const text = readFileSync(file, 'utf8');
    if (!/from '@slack\/web-api'/.test(text)) continue;
    for (const match of [...text.matchAll(CALL), ...text.matchAll(API_CALL)]) {
      const method = match[2] ? `${match[1]}.${match[2]}` : String(match[1]);
      found.set(method, [...(found.get(method) ?? []), path.relative(root, file)]);
    }
  }
  return found;
}

describe('slack/manifest.yml', () => {
  const called = methodsCalled();

  it('is a version 1 manifest with a bot user and interactivity on', () => {
    expect(manifest._metadata.major_version).toBe(1);
    expect(manifest.features.bot_user?.display_name).toMatch(/\S/);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });

  it('finds the Slack methods the adapter calls', () => {
    // A floor, so a broken search cannot pass the next test vacuously.
    expect([...called.keys()]).toEqual(
      expect.arrayContaining(['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'views.open', 'assistant.threads.setStatus']),
    );
  });

  it('subscribes to exactly the events the code handles', () => {
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual([...HANDLED_SLACK_EVENTS].sort());
  });

  it('covers every Slack method the code calls and every event it subscribes to with a scope, and asks for no scope the code does not use', () => {
    const bot = manifest.oauth_config.scopes.bot;
    const needed = new Set<string>();
    for (const event of manifest.settings.event_subscriptions.bot_events) {
      const scopes = EVENT_SCOPES[event];
      expect(scopes, `event ${event} is missing from EVENT_SCOPES in scripts/slack-manifest.ts`).toBeDefined();
      for (const scope of scopes ?? []) {
        expect(bot, `event ${event} needs ${scope}`).toContain(scope);
        needed.add(scope);
      }
    }
    for (const [method, files] of called) {
      const scopes = METHOD_SCOPES[method];
      expect(scopes, `${method} (called in ${files.join(', ')}) is missing from METHOD_SCOPES in scripts/slack-manifest.ts`).toBeDefined();
      for (const scope of scopes ?? []) {
        expect(bot, `${method} needs ${scope}`).toContain(scope);
        needed.add(scope);
      }
    }
    expect([...bot].sort()).toEqual([...needed].sort());
  });

  it('npm run slack:manifest fills in the interactivity and events URLs below the API URL', () => {
    const filled = parse(filledManifest('https://abc123.execute-api.eu-west-1.amazonaws.com/')) as Manifest;
    expect(filled.settings.interactivity.request_url).toBe('https://abc123.execute-api.eu-west-1.amazonaws.com/slack/interactions');
    expect(filled.settings.event_subscriptions.request_url).toBe('https://abc123.execute-api.eu-west-1.amazonaws.com/slack/events');
    expect(filled.oauth_config).toEqual(manifest.oauth_config);
    expect(() => filledManifest('http://insecure.example/')).toThrow(/https/);
    expect(() => filledManifest('not a url')).toThrow(/not a URL/);
  });
});
