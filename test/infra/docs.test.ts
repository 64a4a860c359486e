import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { synthApp } from './app-fixture';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const packageJson = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
const docs = { 'docs/deploy.md': read('docs/deploy.md'), 'docs/operations.md': read('docs/operations.md') };

describe('deploy and operations docs name only what exists', () => {
  const { stateful, service, config, statefulTemplate, serviceTemplate } = synthApp();

  it.each(Object.entries(docs))('%s: every npm script it runs is in package.json', (_, text) => {
    const scripts = [...text.matchAll(/npm run ([a-z:-]+)/g)].map((match) => String(match[1]));
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(Object.keys(packageJson.scripts), script).toContain(script);
  });

  it('deploy.md lists every secret the stacks can create, by its Secrets Manager name, and no other', () => {
    const named = new Set([...docs['docs/deploy.md'].matchAll(/exec-eng-lead\/prod\/([A-Z_]+)/g)].map((match) => String(match[1])));
    expect(config.stage).toBe('prod');
    // Every optional secret switched on, and the per-source ones an upgrade keeps for one deploy.
    const everything = synthApp({
      claudeWriter: true,
      legacySigningSecrets: true,
      legacyCredentialSecrets: true,
      approvals: {
        triggers: [],
        defaultDeadlineHours: 48,
        writeBack: { enabled: true, baseUrl: 'https://acme.atlassian.net', email: 'bot@example.com', transitions: {} },
      },
    });
    const created = Object.values(everything.statefulTemplate.findResources('AWS::SecretsManager::Secret')).map((secret) =>
      String(secret.Properties.Name).split('/').pop(),
    );
    expect([...named].sort()).toEqual([...new Set(created)].sort());
    expect(stateful.secrets.size).toBeGreaterThan(0);
  });

  it('deploy.md names the stacks and outputs as synthesised', () => {
    const text = docs['docs/deploy.md'];
    for (const stack of [stateful, service]) expect(text).toContain(stack.stackName);
    const outputs = [
      ...Object.keys(statefulTemplate.toJSON().Outputs as object).filter((name) => !name.startsWith('ExportsOutput')),
      ...Object.keys(serviceTemplate.toJSON().Outputs as object),
    ];
    for (const output of ['WebhookApiUrl', 'SlackInteractivityUrl', 'TableName', 'EventBusArn', 'EventArchiveArn']) {
      expect(outputs).toContain(output);
      expect(text).toContain(`\`${output}\``);
    }
  });
});
