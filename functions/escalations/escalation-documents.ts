import { type RenderedMessage, renderDocument } from '../slack/outbound/render-document';
import { escapeMrkdwn, mrkdwnLink, untrusted } from '../slack/outbound/mrkdwn';
import { formatDuration, formatInstant } from '../core/durations';
import { incidentFacts } from '../incidents/incident-documents';
import type { IncidentState } from '../incidents/incident-state';
import type { KnownBlock } from '../ports/chat';
import type { Storm } from '../ports/escalation-store';
import type { WriteRequestOf, WrittenDocument } from '../ports/writer';
import { type Condition, describeCondition } from './rules';
import { listInWords } from '../documents/template-text';

/** `P1 incident #4211`: how an incident is named in escalations. */
export function incidentLabel(state: IncidentState): string {
  return [state.priority, 'incident', state.key ?? state.id].filter(Boolean).join(' ');
}

/**
 * What the writer gets for an incident escalation: the incident's facts (as its brief has
 * them), why it needs the VP now, what is known, the recommended action and who should take
 * it, and a business-language note for non-technical stakeholders. All built here, by code.
 */
export function incidentEscalationRequest(state: IncidentState, condition: Condition, now: Date): WriteRequestOf<'escalation'> {
  const action = recommendedAction(state, condition);
  return {
    kind: 'escalation',
    facts: {
      ...incidentFacts(state),
      subject: incidentLabel(state),
      rule: condition.rule,
      reason: describeCondition(condition, now),
      escalatedAt: formatInstant(now.toISOString()),
      openFor: state.triggeredAt ? formatDuration(Math.max(0, now.getTime() - Date.parse(state.triggeredAt))) : null,
      known: knownFacts(state),
      needed: action.needed,
      neededFrom: action.from,
      deadline: 'Now: the incident is open and customers may be affected until the responders say otherwise',
      stakeholderNote: stakeholderNote(state, condition),
    },
    untrusted: { title: state.title },
    links: state.links,
  };
}

function knownFacts(state: IncidentState): string[] {
  const lines = [
    `${state.priority ?? 'Unprioritised'}${state.urgency ? `, ${state.urgency} urgency` : ''}${state.service ? `, on ${state.service}` : ''}.`,
    state.triggeredAt ? `Triggered at ${formatInstant(state.triggeredAt)}.` : 'The trigger time is not recorded.',
    state.acknowledgedAt
      ? `Acknowledged${state.acknowledgedBy ? ` by ${state.acknowledgedBy}` : ''} at ${formatInstant(state.acknowledgedAt)}.`
      : 'Nobody has acknowledged it.',
    state.assignees.length > 0 ? `Assigned to ${state.assignees.join(', ')}.` : 'Nobody is assigned.',
  ];
  if (state.escalationPolicy) lines.push(`Escalation policy: ${state.escalationPolicy}.`);
  if (state.teams.length > 0) lines.push(`Team: ${state.teams.join(', ')}.`);
  return lines;
}

/** What should happen (a verb phrase) and who should do it (a noun phrase): the template joins them into one sentence. */
function recommendedAction(state: IncidentState, condition: Condition): { needed: string; from: string } {
  const manager = state.teams[0] ? `the ${state.teams[0]} engineering manager` : "the owning team's engineering manager";
  const responders = state.assignees.length > 0 ? listInWords(state.assignees) : `whoever is on call for ${state.escalationPolicy ?? 'the service'}`;
  switch (condition.rule) {
    case 'unacknowledged':
      return {
        needed: `get the incident acknowledged and owned now: reach ${responders} directly, and page the next level if nobody answers`,
        from: `${manager} and the VP of Engineering`,
      };
    case 'open-too-long':
      return {
        needed: 'decide whether to add people or a second team, name one incident commander, and decide whether customers need to be told',
        from: `the VP of Engineering and ${manager}`,
      };
    default:
      return {
        needed: `confirm that ${responders} ${state.assignees.length > 1 ? 'have' : 'has'} picked it up and ${state.assignees.length > 1 ? 'are' : 'is'} working it`,
        from: `${manager} and the VP of Engineering`,
      };
  }
}

/** Two or three sentences a VP can forward to non-technical colleagues: no jargon, no figures beyond the facts. */
export function stakeholderNote(state: IncidentState, condition: Condition): string {
  const where = state.service ? `our ${state.service} service` : 'one of our services';
  const first = `We have a serious problem affecting ${where}${state.triggeredAt ? ` since ${formatInstant(state.triggeredAt)}` : ''}.`;
  const second =
    condition.rule === 'open-too-long'
      ? 'The team has been working on it for some time and engineering leadership is now adding people to speed up the fix.'
      : 'Engineering leadership has stepped in to make sure the right people are working on it now.';
  return `${first} ${second} We will share an update as soon as we know the impact on customers.`;
}

/**
 * Renders an escalation for Slack: the written document, with the escalation user mentioned
 * on the first line when configured (built here from a validated id, never by the model).
 */
export function renderEscalation(document: WrittenDocument, userId: string | undefined): RenderedMessage {
  return withMention(renderDocument(document), userId);
}

function withMention(message: RenderedMessage, userId: string | undefined): RenderedMessage {
  if (!userId) return message;
  const mention = `<@${userId}>`;
  const [first, ...rest] = message.blocks;
  const lead: KnownBlock =
    first?.type === 'section' && first.text?.type === 'mrkdwn'
      ? { ...first, text: { ...first.text, text: `${mention} ${first.text.text}` } }
      : { type: 'section', text: { type: 'mrkdwn', text: mention, verbatim: true } };
  return { text: `${mention} ${message.text}`, blocks: first?.type === 'section' ? [lead, ...rest] : [lead, ...message.blocks] };
}

/** The storm message: one line per folded escalation, updated in place as more arrive. */
export function renderStorm(storm: Storm, userId: string | undefined): RenderedMessage {
  const shown = storm.entries.slice(-40);
  const lines = shown.map((entry) => {
    const label = entry.url ? mrkdwnLink(entry.url, entry.label) : untrusted(entry.label);
    return `• ${label}: ${untrusted(entry.title)}\n    ${untrusted(entry.reason)} (${escapeMrkdwn(formatInstant(entry.firedAt))})`;
  });
  if (storm.entries.length > shown.length) lines.unshift(`(${storm.entries.length - shown.length} earlier ones are in the threads of their incidents)`);
  const headline = `Several incidents need you: ${storm.entries.length} more escalation${storm.entries.length === 1 ? '' : 's'} since ${formatInstant(storm.startedAt)}`;
  const message: RenderedMessage = {
    text: headline,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${escapeMrkdwn(headline)}*`, verbatim: true } },
      { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n').slice(0, 2900), verbatim: true } },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: "Folded into one message so you are not paged once per incident. Each incident's own thread says it was escalated and why.",
            verbatim: true,
          },
        ],
      },
    ],
  };
  return withMention(message, userId);
}

/** The short reply in the incident's own thread. */
export function escalationNotice(reason: string, channel: string): RenderedMessage {
  const text = `Escalated to the VP of Engineering (${channel}) because: ${reason}.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: untrusted(text), verbatim: true } }] };
}

/** A repeated PagerDuty escalation, added to the existing escalation's thread instead of a new page. */
export function repeatNotice(state: IncidentState, occurredAt: string): RenderedMessage {
  const who = state.assignees.length > 0 ? ` It is now with ${state.assignees.join(', ')}.` : '';
  const text = `PagerDuty escalated ${incidentLabel(state)} again at ${formatInstant(occurredAt)}.${who} Still ${state.status}.`;
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: untrusted(text), verbatim: true } }] };
}
