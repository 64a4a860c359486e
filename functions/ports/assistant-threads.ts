/** A suggested prompt in Slack's assistant pane: what the button says and the message it sends. */
export interface SuggestedPrompt {
  title: string;
  message: string;
}

/**
 * Slack's assistant threads (the "Agents & AI Apps" pane): the suggested prompts shown when a
 * user opens it, and the "is thinking…" status shown while an answer is written. Both are
 * cosmetic: a failure is logged by the caller and never stops an answer.
 */
export interface AssistantThreads {
  setSuggestedPrompts(channel: string, threadTs: string, title: string, prompts: readonly SuggestedPrompt[]): Promise<void>;
  /** An empty status clears it (Slack also clears it when the app replies in the thread). */
  setStatus(channel: string, threadTs: string, status: string): Promise<void>;
}
