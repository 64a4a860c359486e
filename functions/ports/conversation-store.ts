/** Where a question sits in Slack: its channel and the thread its answer goes to (none: the channel itself, a plain DM). */
export interface ConversationKey {
  channel: string;
  threadTs?: string;
}

/** One question and the answer given, kept so a follow-up in the same thread has context. */
export interface ConversationTurn {
  /** Slack's `event_id`: one answer per event, however often Slack retries it. */
  eventId: string;
  askedAt: string;
  question: string;
  /** The answer as plain text (headline and sections), once given. */
  answer?: string;
  /** `claude:<model>`, `code` or `refusal`. */
  answeredBy?: string;
}

/** The questions asked in each thread and their answers, expiring after a day. */
export interface ConversationStore {
  /** Records the question and the answer given; a turn already recorded keeps its answer. */
  saveAnswer(key: ConversationKey, turn: ConversationTurn & { answer: string; answeredBy: string }): Promise<void>;
  /** The last `limit` answered turns of the thread before `beforeAskedAt`, oldest first. */
  recentTurns(key: ConversationKey, beforeAskedAt: string, limit: number): Promise<ConversationTurn[]>;
}
