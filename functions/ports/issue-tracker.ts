/**
 * Where a decision is written back to the issue it came from (Jira Cloud in production).
 * Both calls resolve only when the tracker accepted the write.
 */
export interface IssueTracker {
  /** Adds a comment; blank lines in `text` separate paragraphs. */
  comment(issueKey: string, text: string): Promise<void>;
  /** Performs the workflow transition with this id (as configured per decision). */
  transition(issueKey: string, transitionId: string): Promise<void>;
}
