import type { PeriodName } from './ask-reads';

/** The questions the code-built answerer recognises (and that decide the hiring rules for every answerer). */
export type Intent =
  | { topic: 'help' }
  | { topic: 'what-needs-me' }
  | { topic: 'incident'; number: string }
  | { topic: 'incidents'; period?: PeriodName }
  | { topic: 'availability'; period?: PeriodName }
  | { topic: 'dora'; period?: PeriodName }
  | { topic: 'approvals'; period?: PeriodName }
  | { topic: 'hiring'; period?: PeriodName }
  | { topic: 'digest' }
  /** A request to write something (a note for the CFO): only the model drafts; the code answerer says so. */
  | { topic: 'draft' }
  | { topic: 'unknown'; period?: PeriodName };

/** What the code-built answerer says it can answer, used by help and by "I did not understand". */
export const ANSWERABLE = [
  '"What needs me today?": open incidents, approvals waiting, the error budget',
  '"Which incidents are open?" or "incident #4211"',
  '"Where are we on availability?" or "how much error budget is left?" (this month or last month)',
  '"How are we tracking on DORA this month?": the four DORA metrics and the 8-week trend',
  '"Which approvals are waiting?"',
  '"How is hiring going?" (hiring viewers, in a direct message only)',
  '"What did the latest digest say?"',
] as const;

const TOPICS: { topic: Exclude<Intent['topic'], 'incident' | 'unknown'>; pattern: RegExp }[] = [
  { topic: 'help', pattern: /^\s*(help|\?)\s*$|\bwhat can (you|i)\b|\bhow (do|can) i (use|ask)\b/i },
  {
    topic: 'what-needs-me',
    pattern: /\bneeds? me\b|\bneed(s)? (my|your) (attention|decision)|\bon my plate\b|\bmy (attention|day)\b|\bwhat should i\b|\bwhat'?s (urgent|important)\b/i,
  },
  { topic: 'hiring', pattern: /\bhir(e|es|ing)\b|\bcandidates?\b|\boffers?\b|\brecruit|\binterview|\bonsite\b|\bfunnel\b|\bpipeline\b|\bstages?\b|\bstuck\b/i },
  // After hiring: a draft about a candidate keeps the hiring rules.
  { topic: 'draft', pattern: /\b(draft|compose)\b|^\s*(please\s+)?(can you\s+)?(write|prepare)\b.{0,40}\b(note|email|message|memo|announcement)\b/i },
  { topic: 'dora', pattern: /\bdora\b|\bdeploy|\blead time\b|\bcycle time\b|\bchange fail|\brecovery time\b|\bdelivery\b|\bshipp?ing\b|\bvelocity\b/i },
  { topic: 'availability', pattern: /\bavailab|\buptime\b|\berror budget\b|\bslo\b|\bdowntime\b|\b99[.,]\d/i },
  { topic: 'approvals', pattern: /\bapprov|\bsign[- ]?off\b|\bpending\b|\bwaiting\b|\bdecisions?\b/i },
  { topic: 'digest', pattern: /\bdigest\b|\bmorning (summary|update)\b/i },
  { topic: 'incidents', pattern: /\bincidents?\b|\boutages?\b|\bp1s?\b|\bp2s?\b|\bon fire\b|\bpag(e|ed|ing)\b|\bbroken\b|\bdown\b/i },
];

/** The topic and period of a question; `previous` (the thread's last question) fills in a bare follow-up such as "and last month?". */
export function recognise(question: string, previous?: string): Intent {
  const period = periodOf(question);
  const incident = /(?:#|\bincident\s+#?|\bnumber\s+)(\d{2,10})\b/i.exec(question);
  if (incident?.[1]) return { topic: 'incident', number: incident[1] };
  const match = TOPICS.find((t) => t.pattern.test(question));
  if (match) return withPeriod(match.topic, period);
  if (previous !== undefined) {
    const before = recognise(previous);
    // The earlier topic, with the period this follow-up names (an incident number or a topic without periods stays as it was).
    if (before.topic !== 'unknown' && before.topic !== 'help') return period && before.topic !== 'incident' ? withPeriod(before.topic, period) : before;
  }
  return period ? { topic: 'unknown', period } : { topic: 'unknown' };
}

function withPeriod(topic: Intent['topic'], period: PeriodName | undefined): Intent {
  switch (topic) {
    case 'incidents':
    case 'availability':
    case 'dora':
    case 'approvals':
    case 'hiring':
      return period ? { topic, period } : { topic };
    case 'help':
    case 'what-needs-me':
    case 'digest':
    case 'draft':
      return { topic };
    default:
      return { topic: 'unknown' };
  }
}

/** A period named in a question, if any. */
export function periodOf(question: string): PeriodName | undefined {
  if (/\blast month\b|\bprevious month\b/i.test(question)) return 'last_month';
  if (/\bthis month\b|\bmonth to date\b|\bmtd\b|\bso far this month\b/i.test(question)) return 'this_month';
  if (/\bthis week\b/i.test(question)) return 'this_week';
  if (/\blast (7|seven) days\b|\blast week\b|\bpast week\b/i.test(question)) return 'last_7_days';
  if (/\blast (30|thirty) days\b|\bpast month\b/i.test(question)) return 'last_30_days';
  if (/\btoday\b|\bovernight\b|\blast night\b|\blast 24 hours\b|\byesterday\b/i.test(question)) return 'last_24_hours';
  return undefined;
}

/** Whether a question is about hiring: then only hiring viewers may ask it, and only in a direct message. */
export function isHiringQuestion(question: string): boolean {
  return recognise(question).topic === 'hiring';
}
