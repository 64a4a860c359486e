import type { DocumentSection, WriteRequest, WrittenDocument, Writer } from '../ports/writer';

type Facts = WriteRequest['facts'];

/**
 * The deterministic writer: the default, the fallback, and what runs with no key and no
 * network. It uses only the facts it is handed, so it is grounded by construction.
 */
export class TemplateWriter implements Writer {
  async write(request: WriteRequest): Promise<WrittenDocument> {
    const { headline, sections } = compose(request);
    return { kind: request.kind, headline, sections, links: request.links, writer: 'template' };
  }
}

function compose(request: WriteRequest): { headline: string; sections: DocumentSection[] } {
  const f = request.facts;
  const title = request.untrusted.title ?? 'Untitled incident';
  const label = [str(f.priority), 'incident', str(f.incident)].filter(Boolean).join(' ');
  switch (request.kind) {
    case 'incident.brief':
      return {
        headline: `${label}: ${title}`,
        sections: [
          { heading: 'What broke', body: whatBroke(f, title) },
          { heading: 'Impact', body: impact(f) },
          { heading: 'Who owns it', body: owners(f) },
          { heading: 'Next step', body: nextStep(f) },
        ],
      };
    case 'incident.update':
      return { headline: updateHeadline(f, request.untrusted), sections: updateSections(f, request.untrusted) };
    case 'incident.closing':
      return {
        headline: `Resolved: ${label}: ${title}`,
        sections: [
          { heading: 'Outcome', body: outcome(f) },
          { heading: 'Timeline', body: timeline(f) },
          { heading: 'Thanks', body: thanks(f) },
          { heading: 'Follow-up', body: followUp(f) },
        ],
      };
    case 'escalation':
      return {
        headline: `Escalation: ${request.untrusted.title ?? str(f.subject) ?? 'needs leadership attention'}`,
        sections: [
          { heading: 'Why it is escalated', body: `${str(f.reason) ?? 'The reason was not recorded'}.` },
          { heading: 'What is known', body: arr(f.known).length > 0 ? arr(f.known).join('\n') : 'Only what the reason above says.' },
          { heading: 'What is needed', body: `${str(f.needed) ?? 'A decision'} from ${str(f.neededFrom) ?? 'leadership'}.` },
          { heading: 'By when', body: str(f.deadline) ?? 'No deadline is recorded; as soon as possible.' },
          { heading: 'For stakeholders', body: str(f.stakeholderNote) ?? STAKEHOLDER_FALLBACK },
        ],
      };
    case 'approval.request':
      return approvalRequest(f, request.untrusted);
    case 'digest':
      return digest(f);
  }
}

/** The note for non-technical readers when the request brings none of its own. */
const STAKEHOLDER_FALLBACK = 'Something needs a decision from engineering leadership and has been escalated to them. We will share what it means for customers and the business once it is decided.';

/** Shown verbatim when a section has nothing in the facts: the template never fills gaps. */
const NOT_STATED = 'Not stated in the request.';

function approvalRequest(f: Facts, untrusted: Record<string, string>): { headline: string; sections: DocumentSection[] } {
  const subject = str(f.subject) ?? 'this request';
  const what = untrusted.title ?? subject;
  const kind = str(f.approvalKind);
  const scope = [str(f.cost) ? `Cost: ${str(f.cost)}.` : '', str(f.scope) ? `Scope: ${str(f.scope)}.` : ''].filter(Boolean).join(' ');
  const open = [
    str(f.cost) ? '' : 'What does it cost?',
    str(f.deadline) ? '' : 'By when is a decision needed?',
    arr(f.risks).length > 0 ? '' : 'What could go wrong, and how would we know?',
  ].filter(Boolean);
  const sections: DocumentSection[] = [
    { heading: 'The ask', body: `${str(f.requester) ?? 'The requester'} asks for approval${kind ? ` of ${/^[aeiou]/i.test(kind) ? 'an' : 'a'} ${kind}` : ''}: ${what} (${subject}).` },
    { heading: 'Cost and scope', body: scope || NOT_STATED },
    { heading: 'Risks', body: arr(f.risks).length > 0 ? arr(f.risks).join('\n') : 'None recorded in the request.' },
    { heading: 'Recommendation', body: 'None from the template writer: read the request and decide.' },
    { heading: 'Open questions', body: open.length > 0 ? open.join('\n') : 'None.' },
  ];
  const description = untrusted.descriptionExcerpt ?? untrusted.description;
  if (description) sections.push({ heading: 'From the request', body: clipText(description, 600) });
  return { headline: `Approval needed: ${what}`, sections };
}

/** The digest's metric lines are written by code; the template lays them out under their headings. */
const DIGEST_SECTIONS = [
  ['Incidents', 'incidents'],
  ['Availability', 'availability'],
  ['Delivery', 'delivery'],
  ['Approvals', 'approvals'],
  ['Hiring', 'hiring'],
  ['Wins', 'wins'],
] as const;

function digest(f: Facts): { headline: string; sections: DocumentSection[] } {
  const period = str(f.period) ?? 'the last period';
  const sections: DocumentSection[] = DIGEST_SECTIONS.map(([heading, key]) => ({
    heading,
    body: arr(f[key]).length > 0 ? arr(f[key]).join('\n') : 'Nothing to report.',
  }));
  if (str(f.budgetNote)) sections.push({ heading: 'Note', body: str(f.budgetNote) ?? '' });
  const headline = f.quiet === true ? `A quiet ${period}: nothing needs your attention this morning.` : `Morning digest for ${period}.`;
  return { headline, sections };
}

function clipText(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

function whatBroke(f: Facts, title: string): string {
  const service = str(f.service);
  const when = str(f.triggeredAt);
  return [`${title}${service ? ` on ${service}` : ''}.`, when ? `Triggered at ${when}.` : ''].filter(Boolean).join(' ');
}

function impact(f: Facts): string {
  const priority = str(f.priority);
  const high = str(f.urgency) === 'high';
  const service = str(f.service) ?? 'the affected service';
  if (high) {
    return `${priority ? `${priority}, ` : ''}high urgency: treat ${service} as customer-affecting until the responders say otherwise. Customer and revenue impact is not yet quantified.`;
  }
  return `${priority ? `${priority}, ` : ''}${str(f.urgency) ?? 'unknown'} urgency on ${service}. No customer impact has been reported yet.`;
}

function owners(f: Facts): string {
  const assignees = arr(f.assignees);
  const policy = str(f.escalationPolicy);
  const teams = arr(f.teams);
  const who = assignees.length > 0 ? assignees.join(', ') : 'Nobody is assigned yet';
  const team = teams.length > 0 ? ` (${teams.join(', ')})` : '';
  return [`${who}${team}.`, policy ? `Escalation policy: ${policy}.` : ''].filter(Boolean).join(' ');
}

function nextStep(f: Facts): string {
  if (str(f.status) === 'acknowledged') {
    return `${str(f.acknowledgedBy) ?? 'The on-call responder'} has acknowledged it and is working it. Updates follow in this thread.`;
  }
  return 'Waiting for the on-call responder to acknowledge. Updates follow in this thread; no action is needed from leadership yet.';
}

function updateHeadline(f: Facts, untrusted: Record<string, string>): string {
  const by = str(f.changedBy);
  switch (str(f.change)) {
    case 'incident.acknowledged':
      return `Acknowledged${by ? ` by ${by}` : ''}`;
    case 'incident.escalated':
      return `Escalated${arr(f.assignees).length ? ` to ${arr(f.assignees).join(', ')}` : ''}`;
    case 'incident.reassigned':
      return `Reassigned${arr(f.assignees).length ? ` to ${arr(f.assignees).join(', ')}` : ''}`;
    case 'incident.priority_updated':
      return `Priority is now ${str(f.priority) ?? 'unset'}`;
    case 'incident.annotated':
      return `Note${by ? ` from ${by}` : ''}`;
    case 'incident.status_update_published':
      return `Status update${by ? ` from ${by}` : ''}`;
    case 'incident.triggered':
      return 'Incident details refreshed';
    default:
      return untrusted.title ?? 'Incident update';
  }
}

function updateSections(f: Facts, untrusted: Record<string, string>): DocumentSection[] {
  const sections: DocumentSection[] = [];
  if (untrusted.note) sections.push({ heading: 'Note', body: untrusted.note });
  if (untrusted.statusUpdate) sections.push({ heading: 'Status update', body: untrusted.statusUpdate });
  const state = [`Status: ${str(f.status) ?? 'unknown'}`, str(f.priority) ? `priority ${str(f.priority)}` : '']
    .filter(Boolean)
    .join(', ');
  const owner = arr(f.assignees).length ? ` Owner: ${arr(f.assignees).join(', ')}.` : '';
  sections.push({ heading: 'Where it stands', body: `${state}.${owner}${str(f.changedAt) ? ` As of ${str(f.changedAt)}.` : ''}` });
  return sections;
}

function outcome(f: Facts): string {
  const by = str(f.resolvedBy);
  return `Resolved${by ? ` by ${by}` : ''}${str(f.resolvedAt) ? ` at ${str(f.resolvedAt)}` : ''}. ${str(f.service) ?? 'The service'} is back to normal as far as PagerDuty shows.`;
}

function timeline(f: Facts): string {
  const lines = [
    `Triggered: ${str(f.triggeredAt) ?? 'unknown'}`,
    `Acknowledged: ${str(f.acknowledgedAt) ?? 'not acknowledged before resolution'}${str(f.timeToAcknowledge) ? ` (time to acknowledge ${str(f.timeToAcknowledge)})` : ''}`,
    `Resolved: ${str(f.resolvedAt) ?? 'unknown'}${str(f.timeToResolve) ? ` (time to resolve ${str(f.timeToResolve)})` : ''}`,
  ];
  return lines.join('\n');
}

function thanks(f: Facts): string {
  const people = [...new Set([...arr(f.assignees), str(f.acknowledgedBy), str(f.resolvedBy)].filter((p): p is string => !!p))];
  return people.length > 0 ? `Thank you ${people.join(', ')} for the response.` : 'Thank you to everyone who responded.';
}

function followUp(f: Facts): string {
  const priority = str(f.priority);
  const major = priority === 'P1' || priority === 'P2' || str(f.urgency) === 'high';
  return major
    ? 'A blameless post-incident review should follow; I will ask the owning team for a date.'
    : 'No review needed unless the owning team wants one.';
}

function str(value: Facts[string] | undefined): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : typeof value === 'number' ? String(value) : undefined;
}

function arr(value: Facts[string] | undefined): string[] {
  return Array.isArray(value) ? value : [];
}
