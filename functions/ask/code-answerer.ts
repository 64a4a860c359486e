import type { DocumentSection } from '../ports/writer';
import type { AskReads } from './ask-reads';
import { type Answer, codeBuiltAnswer, distinctLinks } from './answer';
import { ANSWERABLE, type Intent } from './intents';
import { findTool, type ToolOutput } from './tools';

/*
 * The code-built answerer: no key, no network. It recognises the common questions and answers
 * them from the same tools the model uses, in the digest's own words; for anything else it
 * says plainly what it can answer. It is also the answer of last resort when the model's
 * answer fails its checks twice.
 */

export interface CodeAnswer {
  answer: Answer;
  /** What the tools returned: the evidence the answer was built from. */
  outputs: ToolOutput[];
}

type Result = Record<string, unknown>;
const lines = (result: Result): string[] => (Array.isArray(result.lines) ? result.lines.map(String) : []);

export async function codeAnswer(intent: Intent, reads: AskReads): Promise<CodeAnswer> {
  const outputs: ToolOutput[] = [];
  const run = async (name: string, input: Record<string, unknown> = {}): Promise<Result> => {
    const tool = findTool(name);
    if (!tool) throw new Error(`no tool ${name}`);
    const output = await tool.run(input, reads);
    outputs.push(output);
    return output.result;
  };
  const period = 'period' in intent && intent.period ? { period: intent.period } : {};
  // The answer kind's template words the document; this file only picks the lines.
  const done = (headline: string, answer: string, more: readonly DocumentSection[] = []): CodeAnswer => ({
    answer: codeBuiltAnswer(
      { headline, answer, headings: more.map((section) => section.heading), bodies: more.map((section) => section.body) },
      distinctLinks(outputs.flatMap((output) => output.links)),
      'code',
    ),
    outputs,
  });

  switch (intent.topic) {
    case 'what-needs-me': {
      const [incidents, approvals, availability] = await Promise.all([run('incidents'), run('approvals'), run('availability')]);
      const open = Array.isArray(incidents.open) ? (incidents.open as Result[]) : [];
      const p1 = open.filter((incident) => String(incident.priority).toUpperCase() === 'P1');
      const waiting = Array.isArray(approvals.waiting) ? approvals.waiting.length + Number(approvals.moreWaiting ?? 0) : 0;
      const headline = [
        p1.length > 0
          ? `${p1.map((incident) => `${String(incident.priority)} ${String(incident.incident)}`).join(', ')} open`
          : open.length > 0
            ? `${open.length} open incidents`
            : 'No open incidents',
        waiting > 0 ? `${waiting} approval${waiting === 1 ? '' : 's'} waiting for you` : 'no approvals waiting',
        String(availability.budgetLeft).startsWith('overspent')
          ? `error budget ${String(availability.budgetLeft)}`
          : `error budget left ${String(availability.budgetLeft)}`,
      ].join('; ');
      return done(headline, 'What needs you now, first the incidents still open, then the decisions waiting for you, then where the error budget stands.', [
        { heading: 'Open incidents', body: openIncidentLines(open).join('\n') || 'None open.' },
        { heading: 'Approvals waiting', body: approvalLines(approvals).join('\n') || 'None waiting.' },
        { heading: 'Error budget', body: lines(availability).join('\n') },
      ]);
    }
    case 'incidents': {
      const result = await run('incidents', period);
      const open = Array.isArray(result.open) ? (result.open as Result[]) : [];
      return done(`${open.length} open incident${open.length === 1 ? '' : 's'}`, openIncidentLines(open).join('\n') || 'No incident is open.', [
        { heading: `Incidents, ${String(result.period)}`, body: lines(result).join('\n') || 'No incidents in the period.' },
      ]);
    }
    case 'incident': {
      const result = await run('incident', { number: intent.number });
      if (result.found !== true) return done(`Incident #${intent.number}: not found`, String(result.note));
      const times = [
        `Raised ${String(result.raisedAt ?? 'at an unrecorded time')}`,
        result.acknowledgedAt
          ? `acknowledged ${String(result.acknowledgedAt)}${result.acknowledgedBy ? ` by ${String(result.acknowledgedBy)}` : ''} (${String(result.timeToAcknowledge)} to acknowledge)`
          : 'not acknowledged',
        result.resolvedAt ? `resolved ${String(result.resolvedAt)} (${String(result.timeToResolve)} to resolve)` : `still open, for ${String(result.openFor)}`,
      ];
      return done(
        `${String(result.priority)} incident ${String(result.incident)}: ${String(result.title)} (${String(result.status)})`,
        `${times.join('; ')}.${result.service ? ` Service: ${String(result.service)}.` : ''}`,
        [{ heading: 'Timeline', body: (result.timeline as string[]).join('\n') }],
      );
    }
    case 'availability': {
      const result = await run('availability', period);
      return done(
        `Availability, ${String(result.period)}: error budget ${String(result.budgetLeft).startsWith('overspent') ? '' : 'left '}${String(result.budgetLeft)}`,
        lines(result).join('\n'),
      );
    }
    case 'dora': {
      const result = await run('dora', period);
      return done(`DORA, ${String(result.period)}`, lines(result).join('\n'));
    }
    case 'approvals': {
      const result = await run('approvals', period);
      const waiting = Array.isArray(result.waiting) ? result.waiting.length + Number(result.moreWaiting ?? 0) : 0;
      return done(
        waiting > 0 ? `${waiting} approval${waiting === 1 ? '' : 's'} waiting` : 'No approval is waiting',
        approvalLines(result).join('\n') || lines(result).join('\n'),
      );
    }
    case 'hiring': {
      const result = await run('hiring', period);
      const stuck = (result.longestInStage as Result[]).map(
        (a) => `${String(a.application)} (${String(a.job ?? 'job not recorded')}): ${String(a.stage)}, for ${String(a.inStageFor)}`,
      );
      return done(`Hiring, ${String(result.period)}`, lines(result).join('\n'), [
        ...(stuck.length > 0 ? [{ heading: 'Longest in their stage', body: stuck.join('\n') }] : []),
      ]);
    }
    case 'digest': {
      const result = await run('latest_digest');
      if (result.found !== true) return done('No digest yet', String(result.note));
      const sections = (result.sections as { heading: string; body: string }[]).map((s) => `${s.heading}: ${s.body}`);
      return done(`The latest digest (${String(result.period)}): ${String(result.headline)}`, sections.join('\n').slice(0, 2000));
    }
    case 'draft':
      return done(
        'Drafting needs the AI model',
        `Without ANTHROPIC_API_KEY on the service I do not write notes; I answer from what this service has recorded. I can answer:\n${ANSWERABLE.map((line) => `• ${line}`).join('\n')}`,
      );
    case 'help':
    case 'unknown':
      return done(
        intent.topic === 'help' ? 'What you can ask me' : 'I can only answer a few kinds of question without the AI model',
        `I answer from what this service has recorded. I can answer:\n${ANSWERABLE.map((line) => `• ${line}`).join('\n')}`,
      );
  }
}

function openIncidentLines(open: readonly Result[]): string[] {
  // P1s first, then the rest, each oldest first as the digest lists them.
  const ranked = [...open].sort((a, b) => Number(String(b.priority).toUpperCase() === 'P1') - Number(String(a.priority).toUpperCase() === 'P1'));
  return ranked.map(
    (incident) =>
      `${String(incident.priority)} ${String(incident.incident)} ${String(incident.title)}${incident.service ? ` (${String(incident.service)})` : ''}: open for ${String(incident.openFor)}, ${String(incident.acknowledged)}`,
  );
}

function approvalLines(result: Result): string[] {
  const waiting = Array.isArray(result.waiting) ? (result.waiting as Result[]) : [];
  if (waiting.length === 0) return [];
  return [
    ...lines(result).filter((line) => line.includes('waiting')),
    ...waiting.map((a) => `${String(a.subject)} (${String(a.kind)}), waiting ${String(a.waiting)}`),
  ];
}
