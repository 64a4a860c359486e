import type { CanonicalEvent } from '../core/canonical-event';
import { documentId } from '../core/document-id';
import type { AssistantThreads } from '../ports/assistant-threads';
import type { ConversationKey, ConversationStore, ConversationTurn } from '../ports/conversation-store';
import type { Outbox } from '../ports/outbox';
import { writeOnce, type WriteOnceDeps, writingDeps } from '../outbox/write-once';
import { renderDocument } from '../slack/outbound/render-document';
import { recordDocument } from '../writer/metered-writer';
import { decideAccess, refusalText } from './access';
import type { AskConfig } from './ask-config';
import { type AskReadDeps, AskReads } from './ask-reads';
import { type Answer, ANSWER_KIND, answerDocument, answerText, codeBuiltAnswer } from './answer';
import type { Answerer } from './answerer';
import { ASSISTANT_THREAD_STARTED, QUESTION_ASKED } from './slack-events';

/** The write-once claims (and a test's sleep) come with `WriteOnceDeps`. */
export interface AnswerWorkerDeps extends Pick<WriteOnceDeps, 'claims' | 'clock' | 'sleep'> {
  reads: AskReadDeps;
  conversations: ConversationStore;
  outbox: Outbox;
  answerer: Answerer;
  /** Slack's assistant pane (suggested prompts, "is thinking…"); absent where there is none. */
  assistant?: AssistantThreads;
  config: AskConfig;
  log?: (message: string, detail: Record<string, unknown>) => void;
}

/**
 * How long one worker holds a question: longer than the whole answer takes (status call, history
 * read, the model's 40 s deadline, then the code-built answer), so a redelivery never answers twice.
 */
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
 * thread through the outbox, written once per event (functions/outbox/write-once.ts); the
 * question and its answer are then kept as the thread's turn.
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
  const id = documentId(ANSWER_KIND, turn.eventId);
  let answeredBy: string | undefined;

  // The write-once claim every producer of written documents takes (keyed by the answer's outbox
  // id): a redelivered or republished event never calls the model twice, waits for the answer
  // being written, and takes over from a worker that died mid-answer once its lease lapses.
  const sent = await writeOnce(
    { ...writingDeps(deps), leaseMs: ANSWER_LEASE_MS },
    {
      id,
      write: async () => {
        const answer = await answerQuestion(deps, {
          channel,
          user,
          key,
          question,
          turn,
          channelType: text('channelType'),
          assistantThread: event.facts.assistantThread === true,
        });
        answeredBy = answer.answeredBy;
        const document = answerDocument(answer);
        recordDocument(document);
        return document;
      },
      send: (document) =>
        deps.outbox.send({ id, kind: ANSWER_KIND, channel, ...(key.threadTs ? { threadTs: key.threadTs } : {}), ...renderDocument(document), document }),
    },
  );
  if (!sent.document) throw new Error(`The outbox record ${id} carries no document`);
  // Kept for the thread's next question; saved again (the same values) by a worker that found the answer written.
  await deps.conversations.saveAnswer(key, { ...turn, answer: answerText(sent.document), answeredBy: answeredBy ?? sent.document.writer });
}

interface Asked {
  channel: string;
  user: string;
  key: ConversationKey;
  question: string;
  turn: ConversationTurn;
  channelType: string | undefined;
  assistantThread: boolean;
}

/** Who may ask is decided before anything is read; a refusal is a short code-built reply. */
async function answerQuestion(deps: AnswerWorkerDeps, asked: Asked): Promise<Answer> {
  const access = decideAccess(asked.user, asked.channelType ?? 'channel', asked.question, deps.config);
  if (!access.allowed) {
    const refusal = refusalText(access.reason);
    return codeBuiltAnswer({ headline: refusal.headline, answer: refusal.body, headings: [], bodies: [] }, [], 'refusal');
  }
  const threadTs = asked.key.threadTs;
  if (asked.assistantThread && threadTs) await cosmetic(() => deps.assistant?.setStatus(asked.channel, threadTs, 'is thinking…'), deps, 'status');
  const history = await deps.conversations.recentTurns(asked.key, asked.turn.askedAt, deps.config.historyTurns);
  return deps.answerer.answer({
    question: asked.question,
    history,
    hiringAllowed: access.hiring,
    reads: new AskReads(deps.reads, deps.clock.now(), access.hiring),
  });
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
