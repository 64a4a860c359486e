import { describe, expect, it } from 'vitest';
import { maskPersonalText, stripPersonalData } from '../../functions/core/personal-data';

describe('stripPersonalData', () => {
  it('removes email, phone, address and social fields at any depth, keeping the rest', () => {
    const payload = {
      candidate: {
        id: 42,
        first_name: 'Ada',
        email_addresses: [{ value: 'ada@example.com' }],
        phone_numbers: [{ value: '+1 555 010 9999' }],
        addresses: [{ value: '1 Main St' }],
        social_media_addresses: [{ value: 'https://social.example/ada' }],
        website_addresses: [{ value: 'https://ada.example' }],
        links: ['https://profile.example/ada'],
        applications: [{ id: 7, current_stage: { name: 'Offer' }, emails: ['x@example.com'] }],
      },
    };
    const stripped = JSON.stringify(stripPersonalData(payload));
    expect(stripped).not.toMatch(/example\.com|555|Main St|social\.example|ada\.example|profile\.example/);
    expect(stripped).toContain('"first_name":"Ada"');
    expect(stripped).toContain('"current_stage":{"name":"Offer"}');
  });

  it('masks emails and phone numbers in free text', () => {
    expect(maskPersonalText('Call Ada on +1 (555) 010-9999 or ada@example.com today')).toBe('Call Ada on [phone removed] or [email removed] today');
  });
});
