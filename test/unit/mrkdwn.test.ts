import { describe, expect, it } from 'vitest';
import { escapeMrkdwn, mrkdwnLink, untrusted } from '../../functions/slack/outbound/mrkdwn';
import { renderDocument } from '../../functions/slack/outbound/render-document';

describe('Slack mrkdwn escaping', () => {
  it('escapes exactly &, < and >', () => {
    expect(escapeMrkdwn('a & b < c > d "e" \'f\' *g*')).toBe('a &amp; b &lt; c &gt; d "e" \'f\' *g*');
  });

  it('turns a broadcast, a forged link and a user mention into inert text', () => {
    const hostile = untrusted('<!channel> <https://evil.example|click> <@U123> @here @Channel');
    expect(hostile).not.toMatch(/[<>]/);
    expect(hostile).toContain('&lt;!channel&gt;');
    expect(hostile).toContain('&lt;https://evil.example|click&gt;');
    expect(hostile).not.toMatch(/@here|@Channel/);
    expect(hostile).toContain('@\u2060here');
  });

  it('keeps unicode and emoji intact', () => {
    expect(untrusted('Zahlungsdienst ausgefallen 🔥 — 東京リージョン 👩🏽‍💻')).toBe('Zahlungsdienst ausgefallen 🔥 — 東京リージョン 👩🏽‍💻');
  });

  it('links only http(s) URLs and keeps a hostile label from closing the link', () => {
    expect(mrkdwnLink('https://acme.pagerduty.com/incidents/P1', 'Incident #1')).toBe('<https://acme.pagerduty.com/incidents/P1|Incident #1>');
    expect(mrkdwnLink('javascript:alert(1)', 'click')).toBe('click');
    const link = mrkdwnLink('https://ok.example/a', 'x|<!here>');
    expect(link.startsWith('<https://ok.example/a|')).toBe(true);
    expect(link.slice(1, -1)).not.toMatch(/[<>]/);
    expect(link.split('|')).toHaveLength(2);
  });
});

describe('renderDocument', () => {
  it('escapes every untrusted string and marks mrkdwn as verbatim', () => {
    const message = renderDocument(
      {
        kind: 'incident.brief',
        headline: 'P1 <!channel> outage 🔥',
        sections: [{ heading: 'What <@U1> broke', body: 'Title: <https://evil.example|click> @here' }],
        links: [{ label: 'PagerDuty <!here>', url: 'https://acme.pagerduty.com/incidents/P1' }],
        writer: 'template',
      },
      'Owner: <!everyone>',
    );
    const json = JSON.stringify(message);
    expect(json).not.toMatch(/<!channel>|<!here>|<!everyone>|<@U1>|<https:\/\/evil/);
    expect(json).toContain('🔥');
    for (const block of message.blocks) {
      if (block.type === 'section') expect(block.text).toMatchObject({ type: 'mrkdwn', verbatim: true });
    }
  });

  it('says briefly when the template stood in for the AI writer', () => {
    const message = renderDocument({ kind: 'incident.update', headline: 'h', sections: [], links: [], writer: 'template', fallbackReason: 'timeout' });
    expect(JSON.stringify(message.blocks)).toContain('AI writer was unavailable (timeout)');
  });

  it('clips long sections under Slack limits without splitting an emoji or an entity', () => {
    const body = `${'🔥'.repeat(2000)}${'&'.repeat(2000)}`;
    const message = renderDocument({ kind: 'incident.update', headline: '🔥'.repeat(300), sections: [{ heading: 'h', body }], links: [], writer: 'template' });
    const section = message.blocks[1];
    const text = section?.type === 'section' ? (section.text?.text ?? '') : '';
    expect([...text].length).toBeLessThanOrEqual(2900);
    expect(text).toMatch(/(🔥|&amp;)…$/);
    const headline = message.blocks[0];
    expect(headline?.type === 'section' && [...(headline.text?.text ?? '')].length).toBe(152);
  });
});
