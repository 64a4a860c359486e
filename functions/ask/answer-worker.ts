import type { CanonicalEvent } from '../core/canonical-event';
import { documentId } from '../core/document-id';
import type { AssistantThreads } from '../ports/assistant-threads';
import type { Clock } from '../ports/clock';
import type { ConversationKey, ConversationStore } from '../ports/conversation-store';
import type { Outbox } from '../ports/outbox';
import { renderDocument } from '../slack/outbound/render-document';
import { recordDocument } from '../writer/metered-writer';
import { decideAccess, refusalText } from './access';
import type { AskConfig } from './ask-config';
import { type AskReadDeps, AskReads } from './ask-reads';
import { type Answer, ANSWER_KIND, answerDocument, answerText, codeBuiltAnswer } from './answer';
import type { Answerer } from './answerer';
import { ASSISTANT_THREAD_STARTED, QUESTION_ASKED } from './slack-events';

export interface AnswerWorkerDeps {
  reads: AskReadDeps;
  conversations: ConversationStore;
  outbox: Outbox;
  answerer: Answerer;
  /** Slack's assistant pane (suggested prompts, "is thinking…"); absent where there is none. */
  assistant?: AssistantThreads;
  clock: Clock;
  config: AskConfig;
  log?: (message: string, detail: Record<string, unknown>) => void;
}

/** How long one worker holds a question: longer than an answer takes (model deadline 40 s), shorter than Slack's patience. */
const ANSWER_LEASE_MS = 90_000;

/** Shown in the assistant pane when it opens. */
export const SUGGESTED_PROMPTS = [
  { title: 'What needs me today?', message: 'What needs me today?' },
  { title: 'DORA this month', message: 'How are we tracking on DORA this month?' },
  { title: 'Error budget', message: 'How much error budget is left this month?' },
  { title: 'Approvals waiting', message: 'Which approvals are waiting for me?' },
] as const;

/**
 * The answer worker: one `question.asked` event in, at most one answer out, in the question's
 * thread through the outbox. The turn record is claimed first, so redelivered or republished
 * events never answer twice (nor call the model twice while the first is still writing). Who
 * may ask is decided before anything is read; a refusal is a short code-built reply.
 */
export async function handleAskEvent(event: CanonicalEvent, deps: AnswerWorkerDeps): Promise<void> {
  if (event.type === ASSISTANT_THREAD_STARTED) return suggestPrompts(event, deps);
  if (event.type !== QUESTION_ASKED) return;
  const text = (name: string) => (typeof event.facts[name] === 'string' ? (event.facts[name] as string) : undefined);
  const channel = text('channel');
  const user = text('user');
  if (!channel || !user) return;
  const key: ConversationKey = { channel, ...(text('threadTs') ? { threadTs: text('threadTs') } : {}) };
  const question = event.subject.title;
  const turn = { eventId: event.deliveryId, askedAt: event.occurredAt, question };
  const now = deps.clock.now();
  const claim = await deps.conversations.claimTurn(key, turn, now, ANSWER_LEASE_MS);
  if (claim !== 'claimed') {
    deps.log?.('question already answered or being answered', { eventId: turn.eventId, claim });
    return;
  }

  const access = decideAccess(user, text('channelType') ?? 'channel', question, deps.config);
  let answer: Answer;
  if (!access.allowed) {
    const refusal = refusalText(access.reason);
    answer = codeBuiltAnswer({ headline: refusal.headline, answer: refusal.body, headings: [], bodies: [] }, [], 'refusal');
  } else {
    if (event.facts.assistantThread === true && key.threadTs) await cosmetic(() => deps.assistant?.setStatus(channel, key.threadTs ?? '', 'is thinking…'), deps, 'status');
    const history = await deps.conversations.recentTurns(key, turn.askedAt, deps.config.historyTurns);
    answer = await deps.answerer.answer({ question, history, hiringAllowed: access.hiring, reads: new AskReads(deps.reads, now, access.hiring) });
  }

  const document = answerDocument(answer);
  recordDocument(document);
  await deps.outbox.send({
    id: documentId(ANSWER_KIND, turn.eventId),
    kind: ANSWER_KIND,
    channel,
    ...(key.threadTs ? { threadTs: key.threadTs } : {}),
    ...renderDocument(document),
    document,
  });
  await deps.conversations.saveAnswer(key, { ...turn, answer: answerText(answer), answeredBy: answer.answeredBy });
}

async function suggestPrompts(event: CanonicalEvent, deps: AnswerWorkerDeps): Promise<void> {
  const channel = event.facts.channel;
  const threadTs = event.facts.threadTs;
  if (typeof channel !== 'string' || typeof threadTs !== 'string') return;
  await cosmetic(() => deps.assistant?.setSuggestedPrompts(channel, threadTs, 'Ask your chief of staff', SUGGESTED_PROMPTS), deps, 'suggested prompts');
}

/** The assistant pane's extras never stop an answer: a failure is logged and the answer goes on. */
async function cosmetic(call: () => Promise<void> | undefined, deps: AnswerWorkerDeps, what: string): Promise<void> {
  try {
    await call();
  } catch (error) {
    deps.log?.(`assistant ${what} not set`, { error: error instanceof Error ? error.message : String(error) });
  }
}
