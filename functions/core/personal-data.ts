/**
 * Candidate personal data that must never be stored, published, sent to the model or
 * posted: email addresses, phone numbers, postal addresses and social/profile links.
 * Keys are matched by name anywhere in a payload, so vendor field names such as
 * `email_addresses`, `phone_numbers`, `addresses`, `social_media_addresses`, `emails`,
 * `phones`, `links`, `primaryEmailAddress`, `website_addresses` are all covered.
 */
const PERSONAL_KEY = /e-?mail|phone|address|social|linkedin|twitter|github|website|^links$|^urls?$|resume|^location$/i;

/** Deep copy of `value` without any field whose name marks it as personal data. */
export function stripPersonalData(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripPersonalData);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (!PERSONAL_KEY.test(key)) out[key] = stripPersonalData(child);
  }
  return out;
}

const EMAIL = /[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}/gi;
const PHONE = /\+?\d[\d\s().-]{7,}\d/g;

/** Masks email addresses and phone numbers inside free text (e.g. a note), as a second line of defence. */
export function maskPersonalText(text: string): string {
  return text.replace(EMAIL, '[email removed]').replace(PHONE, '[phone removed]');
}
