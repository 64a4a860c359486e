/**
 * Grounding check: every number, percentage, money amount, duration, date, time, identifier
 * and person name in a written document must appear in the evidence the writer was given.
 * Pure and deterministic, so it can gate a model's output and feed a corrective prompt.
 *
 * Evidence: every fact value (strings, numbers, each element of string arrays), every
 * untrusted string and every link label. Fact keys, booleans, nulls and link URLs are not
 * evidence. Claims and evidence are extracted by the same regexes into normalised forms
 * (money and numbers as values, durations as milliseconds, times as hh:mm, dates as
 * month/day[/year]) and compared.
 *
 * Matching rules:
 * - A bare number is grounded by any number anywhere in the evidence, even one inside a
 *   time, date, identifier or word ("p99" grounds "99", "14:12" grounds "12"), or by the
 *   element count of an array fact with two or more elements ("three" owners).
 *   0, 1, "zero", "one" and "single" are never claims; "two".."twenty" are. Line-start list
 *   markers ("2.") and "24/7" are ignored.
 * - A percentage or money amount is grounded by the same claim in the evidence, or by a
 *   unitless number (a numeric fact, or a number with no unit in evidence text): the unit
 *   of a numeric fact lives in its key, which the check cannot read.
 * - Durations need a duration in the evidence with the same total ("65 minutes" = "1 h 05 min").
 * - Identifiers (PAY-123, #4821, P1, Q1ABCDEF2GHIJK) must occur verbatim, case-sensitively.
 * - A person is a run of 2–3 capitalised words, after dropping common words and words the
 *   document or evidence also uses in lower case; it must occur (case-insensitively) in the
 *   evidence. A single first name is never a claim, so "Priya" is fine when "Priya
 *   Natarajan" is in the facts.
 *
 * Blind spots. Missed: single-word names (a surname, an unknown first name), lower-case names,
 * names containing a common word or a word also written in lower case ("Rose Park" beside
 * "the park"), re-ordered or partial names ("Natarajan, Priya"), runs of four or more
 * capitalised words (taken as Title Case); all-letter ids and lower-case codes ("p99", "v2");
 * weekdays, relative dates ("yesterday"), slash dates ("11/24"), month-only mentions; time
 * zones (times compare as hh:mm); "an hour", months and years as durations (their digits are
 * still checked as numbers); number words above twenty and ordinal words; percentages vs
 * fractions (0.999 vs "99.9%"); currencies, when a unitless number grounds an amount; bare
 * numbers that merely coincide with a digit run in the evidence ("12" from "14:12"); and
 * meaning: a true value attached to the wrong thing (the MTTA reported as the MTTR).
 * False alarms: a duration stated from a numeric fact (`minutes: 47` does not ground
 * "47 min"), and capitalised phrases that are not names ("Payment Gateway" in a Title Case
 * headline) unless the words also appear in lower case in the document or evidence.
 */
import type { AnyWriteRequest } from '../ports/writer';

export type ClaimKind = 'number' | 'percentage' | 'money' | 'duration' | 'date' | 'time' | 'identifier' | 'person';

export interface GroundingViolation {
  kind: ClaimKind;
  text: string;
  /** `headline`, `sections[2].heading` or `sections[2].body`. */
  where: string;
}

type DateParts = { year?: number; month: number; day: number };

interface Claim {
  kind: ClaimKind;
  /** Normalised value: equal keys mean the same claim. */
  key: string;
  text: string;
  index: number;
  amount?: number;
  date?: DateParts;
}

/** A parsed match, or null when the text is recognised but is not a claim (0, list markers). */
type Parsed = Pick<Claim, 'key' | 'amount' | 'date'> | null;

type Extractor = { kind: ClaimKind; pattern: RegExp; parse: (match: RegExpExecArray) => Parsed };

const NUMBER_WORDS =
  'zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty'.split(' ');
const WORD_ALT = NUMBER_WORDS.slice(2)
  .map((w) => `[${w.charAt(0)}${w.charAt(0).toUpperCase()}]${w.slice(1)}`)
  .join('|');
const NUM = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?`;
const SCALE = String.raw`(?:\s?(thousand|million|billion|bn|mm|[kKmMbB])(?![\p{L}\p{N}]))?`;
const MONTH = 'January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec';
const MONTH_PREFIXES = MONTH.toLowerCase()
  .split('|')
  .slice(0, 12)
  .map((name) => name.slice(0, 3));
const UNIT = 'weeks?|wks?|w|days?|d|hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s|milliseconds?|msecs?|ms';
const COMPONENT = String.raw`(\d+(?:\.\d+)?|${WORD_ALT})\s?(${UNIT})(?!\p{L})`;
const UNIT_MS: Record<string, number> = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };
const ZONE = String.raw`(?:\s?(?:UTC|GMT|Z)(?!\p{L}))?`;
const SCALES: Record<string, number> = { k: 1e3, thousand: 1e3, m: 1e6, mm: 1e6, million: 1e6, b: 1e9, bn: 1e9, billion: 1e9 };
const CURRENCIES: Record<string, string> = { $: 'USD', dollar: 'USD', '€': 'EUR', euro: 'EUR', '£': 'GBP', pound: 'GBP' };

const re = (source: string, flags = 'gu') => new RegExp(source, flags);

function toNumber(digits: string, scale?: string): number {
  const factor = scale ? (SCALES[scale.toLowerCase()] ?? 1) : 1;
  return Math.round(Number(digits.replace(/,/g, '')) * factor * 1e6) / 1e6;
}

/** A number word ("Three") or digits as a number. */
function quantity(text: string): number {
  const word = NUMBER_WORDS.indexOf(text.toLowerCase());
  return word >= 0 ? word : toNumber(text);
}

const amount = (value: number): Parsed => ({ key: String(value), amount: value });
const bare = (value: number): Parsed => (value === 0 || value === 1 ? null : amount(value));

function money(symbol: string, digits: string, scale?: string): Parsed {
  const value = toNumber(digits, scale);
  const currency = CURRENCIES[symbol.toLowerCase().replace(/s$/, '')] ?? symbol.toUpperCase();
  return { key: `${currency} ${value}`, amount: value };
}

function date(year: string | undefined, month: string, day: string): Parsed {
  const m = /^\d+$/.test(month) ? Number(month) : MONTH_PREFIXES.indexOf(month.slice(0, 3).toLowerCase()) + 1;
  const parts: DateParts = { month: m, day: Number(day), ...(year ? { year: Number(year) } : {}) };
  return { key: `${parts.year ?? '*'}-${m}-${parts.day}`, date: parts };
}

function time(hours: string, minutes: string, meridiem?: string): Parsed {
  let h = Number(hours);
  if (meridiem) h = (h % 12) + (meridiem.toLowerCase() === 'p' ? 12 : 0);
  return { key: `${String(h).padStart(2, '0')}:${minutes}` };
}

/** Total milliseconds, so "1 h 05 min", "1h 5m" and "65 minutes" are the same claim. */
function duration(text: string): Parsed {
  let ms = 0;
  for (const [, qty = '', unit = ''] of text.matchAll(re(COMPONENT))) {
    ms += quantity(qty) * (/^(ms|msecs?|milliseconds?)$/.test(unit) ? 1 : (UNIT_MS[unit.charAt(0)] ?? 0));
  }
  return { key: String(Math.round(ms)) };
}

/**
 * In priority order: each match is blanked out before the next extractor runs, so the digits
 * of a date, time, identifier or duration are never counted again as bare numbers.
 */
const EXTRACTORS: Extractor[] = [
  { kind: 'number', pattern: re(String.raw`^[ \t]*\d{1,2}[.)](?=[ \t])|24\s?[/x×]\s?7`, 'gmu'), parse: () => null },
  { kind: 'date', pattern: re(String.raw`(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)`), parse: (m) => date(m[1], m[2] ?? '', m[3] ?? '') },
  {
    kind: 'date',
    pattern: re(String.raw`(?<![\p{L}\p{N}])(\d{1,2})(?!\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(${MONTH})(?!\p{L})\.?(?:,?\s+(\d{4})(?!\d))?`),
    parse: (m) => date(m[3], m[2] ?? '', m[1] ?? ''),
  },
  {
    kind: 'date',
    pattern: re(String.raw`(?<!\p{L})(${MONTH})(?!\p{L})\.?\s+(\d{1,2})(?!\d)(?:st|nd|rd|th)?(?!\p{L})(?:,?\s+(\d{4})(?!\d))?`),
    parse: (m) => date(m[3], m[1] ?? '', m[2] ?? ''),
  },
  {
    kind: 'time',
    pattern: re(String.raw`(?<![\d:.])([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?(?!\d)(?:\s?([AaPp])\.?[Mm]\.?(?!\p{L}))?${ZONE}`),
    parse: (m) => time(m[1] ?? '', m[2] ?? '', m[3]),
  },
  {
    kind: 'time',
    pattern: re(String.raw`(?<![\p{L}\p{N}:.])(1[0-2]|0?[1-9])\s?([AaPp])\.?[Mm]\.?(?!\p{L})${ZONE}`),
    parse: (m) => time(m[1] ?? '', '00', m[2]),
  },
  { kind: 'identifier', pattern: re(String.raw`(?<![\p{L}\p{N}_-])[A-Z][A-Z0-9]{1,9}-\d+(?![\p{L}\p{N}_])`), parse: (m) => ({ key: m[0] }) },
  { kind: 'identifier', pattern: re(String.raw`(?<![\p{L}\p{N}_&#])#\d+(?![\p{L}\p{N}_])`), parse: (m) => ({ key: m[0] }) },
  { kind: 'money', pattern: re(String.raw`([$€£])\s?(${NUM})${SCALE}`), parse: (m) => money(m[1] ?? '', m[2] ?? '', m[3]) },
  { kind: 'money', pattern: re(String.raw`(?<!\p{L})(USD|EUR|GBP)\s?(${NUM})${SCALE}`), parse: (m) => money(m[1] ?? '', m[2] ?? '', m[3]) },
  {
    kind: 'money',
    pattern: re(String.raw`(?<![\p{L}\p{N}_.])(${NUM})${SCALE}\s?(USD|EUR|GBP|dollars?|euros?|pounds?)(?!\p{L})`),
    parse: (m) => money(m[3] ?? '', m[1] ?? '', m[2]),
  },
  {
    kind: 'percentage',
    pattern: re(String.raw`(?<![\p{L}\p{N}_.])(${NUM})\s?(?:%|(?:percent|per cent|pct)(?!\p{L}))`),
    parse: (m) => amount(toNumber(m[1] ?? '')),
  },
  {
    kind: 'duration',
    pattern: re(String.raw`(?<![\p{L}\p{N}_.])${COMPONENT}(?:\s*(?:and\s+)?${COMPONENT})*`),
    parse: (m) => duration(m[0]),
  },
  { kind: 'identifier', pattern: re(String.raw`(?<![\p{L}\p{N}_])(?=[A-Z0-9]*\d)[A-Z][A-Z0-9]+(?![\p{L}\p{N}_])`), parse: (m) => ({ key: m[0] }) },
  {
    kind: 'number',
    pattern: re(String.raw`(?<![\p{L}\p{N}_.#$€£])(${NUM})(?:st|nd|rd|th|[x×]|\s?(thousand|million|billion|bn|k|K|M))?(?![\p{L}\p{N}_]|[.,]\d)`),
    parse: (m) => bare(toNumber(m[1] ?? '', m[2])),
  },
  { kind: 'number', pattern: re(String.raw`(?<!\p{L})(${WORD_ALT})(?!\p{L})`), parse: (m) => bare(quantity(m[1] ?? '')) },
];

/** Claims of every kind but `person`, plus the text with those claims blanked out. */
function extractClaims(text: string): { claims: Claim[]; rest: string } {
  const claims: Claim[] = [];
  let rest = text;
  for (const { kind, pattern, parse } of EXTRACTORS) {
    for (const match of [...rest.matchAll(pattern)]) {
      const parsed = parse(match);
      if (parsed) claims.push({ kind, text: match[0].trim(), index: match.index, ...parsed });
      rest = rest.slice(0, match.index) + ' '.repeat(match[0].length) + rest.slice(match.index + match[0].length);
    }
  }
  return { claims, rest };
}

// Capitalised words that are not names: sentence starters, headings, months and weekdays.
const COMMON_WORDS = new Set(
  `a an the this that these those it its we our us they their them he she his her i you your my all any each every some no not
  none both either and or but so yet for if then than when while where after before since until as at by from in into of on
  over under with without about across against during per through to via within is are was were be been has have had do does
  did will would shall should can could may might must what who whom whose which why how here there also just still now
  thanks thank please note update updates status impact owner owners owns next step steps action actions decision summary
  background context follow follow-up outcome timeline review resolved resolution triggered acknowledged escalated reassigned
  assigned priority urgency high low medium critical major minor incident incidents service services team teams policy
  escalation customer customers revenue business risk root cause fix workaround mitigation monitoring investigating identified
  ongoing recovered restored degraded outage latency error errors users user engineering on-call responder responders
  leadership broke details today yesterday tomorrow morning afternoon evening week weekend month quarter year unknown new
  current latest last first second third time duration acknowledge resolve ask request approval approved digest brief closing
  lead manager director head support sales platform product infrastructure database region production staging mean above
  below back up down again payment payments failure failures failed rate spike deploy deployment rollback release change
  changes alert alerts traffic requests capacity performance availability data security access login checkout search
  january february march april may june july august september october november december monday tuesday wednesday thursday
  friday saturday sunday pagerduty slack jira github utc gmt`.split(/\s+/),
);

const NAME_WORD = String.raw`\p{Lu}\p{Ll}*(?:\p{Lu}\p{Ll}+)?(?:[-'’]\p{Lu}\p{Ll}+)?(?:['’]s)?`;
const NAME_RUN = re(String.raw`(?<![\p{L}\p{N}])${NAME_WORD}(?:[ \t]+${NAME_WORD})*(?![\p{L}\p{N}])`);
const plainName = (word: string) => word.replace(/['’]s$/u, '').toLowerCase();

/** Runs of 2–3 capitalised words that are not ordinary words: the likely person names. */
function personClaims(text: string, ordinary: ReadonlySet<string>): Claim[] {
  const claims: Claim[] = [];
  for (const run of text.matchAll(NAME_RUN)) {
    const words = [...run[0].matchAll(re(NAME_WORD))];
    let segment: RegExpExecArray[] = [];
    for (const word of [...words, undefined]) {
      if (word && !COMMON_WORDS.has(plainName(word[0])) && !ordinary.has(plainName(word[0]))) {
        segment.push(word);
        continue;
      }
      const first = segment[0];
      const last = segment[segment.length - 1];
      if (first && last && segment.length >= 2 && segment.length <= 3) {
        const key = segment.map((w) => plainName(w[0])).join(' ');
        claims.push({ kind: 'person', key, text: run[0].slice(first.index, last.index + last[0].length), index: run.index + first.index });
      }
      segment = [];
    }
  }
  return claims;
}

const lowerCaseWords = (text: string) => text.match(/(?<!\p{L})\p{Ll}[\p{Ll}'’-]*(?!\p{L})/gu) ?? [];

interface Evidence {
  claims: Set<string>; // `kind:key` of every claim found in the evidence
  dates: DateParts[];
  unitless: Set<string>; // numbers without a unit: numeric facts, bare numbers in evidence text
  anyNumber: Set<string>; // every number anywhere in the evidence, plus the sizes of array facts
  text: string;
  lowerWords: Set<string>;
}

function gatherEvidence(request: Pick<AnyWriteRequest, 'facts' | 'untrusted' | 'links'>): Evidence {
  const texts: string[] = [...Object.values(request.untrusted), ...request.links.map((link) => link.label)];
  const evidence: Evidence = { claims: new Set(), dates: [], unitless: new Set(), anyNumber: new Set(), text: '', lowerWords: new Set() };
  for (const value of Object.values(request.facts)) {
    if (typeof value === 'string') texts.push(value);
    if (typeof value === 'number') {
      texts.push(String(value));
      evidence.unitless.add(String(value));
    }
    if (Array.isArray(value)) {
      texts.push(...value);
      // Narrow on purpose: only the size of a list ("three owners"), not sums or differences.
      if (value.length >= 2) evidence.anyNumber.add(String(value.length));
    }
  }
  for (const text of texts) {
    for (const claim of extractClaims(text).claims) {
      evidence.claims.add(`${claim.kind}:${claim.key}`);
      if (claim.date) evidence.dates.push(claim.date);
      if (claim.amount !== undefined) evidence.anyNumber.add(String(claim.amount));
      if (claim.kind === 'number') evidence.unitless.add(claim.key);
    }
    for (const digits of text.match(re(NUM)) ?? []) evidence.anyNumber.add(String(toNumber(digits)));
    for (const word of lowerCaseWords(text)) evidence.lowerWords.add(word);
  }
  evidence.text = texts.join('\n');
  return evidence;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function occurs(haystack: string, needle: string, flags: string): boolean {
  const pattern = escapeRegExp(needle).replace(/ /g, String.raw`\s+`);
  return re(String.raw`(?<![\p{L}\p{N}_#-])${pattern}(?![\p{L}\p{N}_])`, flags).test(haystack);
}

function isGrounded(claim: Claim, evidence: Evidence): boolean {
  switch (claim.kind) {
    case 'number':
      return evidence.anyNumber.has(claim.key);
    case 'percentage':
    case 'money':
      return evidence.claims.has(`${claim.kind}:${claim.key}`) || evidence.unitless.has(String(claim.amount));
    case 'date':
      return evidence.dates.some((d) => sameDay(d, claim.date));
    case 'identifier':
      return occurs(evidence.text, claim.key, 'u');
    case 'person':
      return occurs(evidence.text, claim.key, 'iu');
    default:
      return evidence.claims.has(`${claim.kind}:${claim.key}`);
  }
}

/** Same month and day, and the same year when both sides give one. */
function sameDay(a: DateParts, b: DateParts | undefined): boolean {
  return !!b && a.month === b.month && a.day === b.day && (a.year === undefined || b.year === undefined || a.year === b.year);
}

/**
 * Every claim in the document that the evidence does not support, once per kind and
 * normalised value, in document order (headline, then each section's heading and body).
 */
export function checkGrounding(
  document: { headline: string; sections: readonly { heading: string; body: string }[] },
  request: Pick<AnyWriteRequest, 'facts' | 'untrusted' | 'links'>,
): GroundingViolation[] {
  const evidence = gatherEvidence(request);
  const parts = [
    { where: 'headline', text: document.headline },
    ...document.sections.flatMap((section, i) => [
      { where: `sections[${i}].heading`, text: section.heading },
      { where: `sections[${i}].body`, text: section.body },
    ]),
  ];
  // A word the document itself also writes in lower case is an ordinary word, not a name.
  const ordinary = new Set([...evidence.lowerWords, ...parts.flatMap((part) => lowerCaseWords(part.text))]);
  const seen = new Set<string>();
  const violations: GroundingViolation[] = [];
  for (const { where, text } of parts) {
    const { claims, rest } = extractClaims(text);
    const all = [...claims, ...personClaims(rest, ordinary)].sort((a, b) => a.index - b.index);
    for (const claim of all) {
      const id = `${claim.kind}:${claim.key}`;
      if (seen.has(id) || isGrounded(claim, evidence)) continue;
      seen.add(id);
      violations.push({ kind: claim.kind, text: claim.text, where });
    }
  }
  return violations;
}

/** One line per violation, for the document's record and the corrective message. */
export function describeViolation(v: GroundingViolation): string {
  return `"${v.text}" (${v.kind}) in ${v.where} is not in the facts`;
}
