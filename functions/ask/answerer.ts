import type { ConversationTurn } from '../ports/conversation-store';
import type { AskReads } from './ask-reads';
import type { Answer } from './answer';
import { codeAnswer } from './code-answerer';
import { recognise } from './intents';

export interface AnswerRequest {
  /** Untrusted: whatever the asker typed. */
  question: string;
  /** The thread's earlier turns, oldest first. */
  history: readonly ConversationTurn[];
  /** The hiring tool may be used (a hiring viewer, in a direct message). */
  hiringAllowed: boolean;
  reads: AskReads;
}

/** Answers one question from the read-only tools. */
export interface Answerer {
  answer(request: AnswerRequest): Promise<Answer>;
}

/** The code-built answerer (no key): the common questions, answered in the digest's words. */
export class CodeAnswerer implements Answerer {
  async answer(request: AnswerRequest): Promise<Answer> {
    const intent = recognise(request.question, request.history.at(-1)?.question);
    // A follow-up inheriting a hiring topic gets the same rule as the question itself.
    const allowed = intent.topic === 'hiring' && !request.hiringAllowed ? { topic: 'help' as const } : intent;
    return (await codeAnswer(allowed, request.reads)).answer;
  }
}
