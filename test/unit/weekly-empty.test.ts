import { describe, expect, it } from 'vitest';
import { toMarkdown } from '../../functions/weekly/markdown';
import { loadWeeklyConfig } from '../../functions/weekly/weekly-config';
import { weekly } from '../../functions/documents/weekly';
import { weeklyLines } from '../../functions/weekly/weekly-lines';
import { computeWeeklyMetrics } from '../../functions/weekly/weekly-metrics';

const TO = new Date('2026-11-27T20:00:00Z');

describe('an empty week', () => {
  const config = loadWeeklyConfig({});
  const metrics = computeWeeklyMetrics({ items: [], changes: [], openIncidents: [], pendingApprovals: [] }, TO, config);
  const lines = weeklyLines(metrics, config.digest.timeZone);

  it('says what is missing and how to get it in every section that has no data, never a made-up zero', () => {
    expect(lines.reliability.join('\n')).toContain('connect the PagerDuty webhook');
    expect(lines.delivery).toEqual([expect.stringContaining('no production deployment recorded: send GitHub deployment_status')]);
    expect(lines.effort).toEqual([expect.stringContaining('no Jira issues completed in the last 4 weeks: connect the Jira webhook')]);
    expect(lines.load.join('\n')).toContain('no PagerDuty page recorded');
    expect(lines.load.join('\n')).toContain('connect Greenhouse, Lever or Ashby');
    expect(lines.decisions.join('\n')).toContain('WEEKLY_ASK_KINDS');
    const all = Object.values(lines).flat().join('\n');
    expect(all).not.toMatch(/\b0%|100\.000%/);
    expect(all).not.toContain('rework rate');
  });

  it('the template writes every section in order from the facts, and Markdown holds the same text', () => {
    const document = weekly.template({ facts: lines, untrusted: {}, links: [] });
    expect(document.sections.map((s) => s.heading)).toEqual([
      'Reliability',
      'Delivery',
      'Where the effort went',
      'People and load',
      'Decisions and asks',
      'Wins',
    ]);
    expect(document.headline).toBe('This week: no incident data recorded, so availability is not measured.');
    const markdown = toMarkdown({ ...document, links: [] });
    expect(markdown.startsWith(`# ${document.headline}`)).toBe(true);
    expect(markdown).toContain('## Where the effort went');
  });

  it('Markdown makes webhook text inert: no HTML, links or emphasis from a title', () => {
    const markdown = toMarkdown({
      headline: 'H',
      sections: [{ heading: 'Reliability', body: '#1: <img src=x> [click](http://evil) *now*' }],
      links: [{ label: 'Incident #1', url: 'https://pd.example/1' }],
    });
    expect(markdown).toContain('- #1: &lt;img src=x&gt; \\[click\\](http://evil) \\*now\\*');
    expect(markdown).toContain('- [Incident #1](https://pd.example/1)');
  });
});
