/** Words that mark a change as a revert, rollback or hotfix (deployment rework rate); `revert-12-x` and `hotfix/x` branches included. */
export const REWORK_MARKER = /(?:^|[^a-z])(?:revert|rollback|roll[ -]back|hotfix|hot[ -]fix)/i;

/** Whether a title, branch or description marks rework. */
export function marksRework(text: string | null | undefined): boolean {
  return typeof text === 'string' && REWORK_MARKER.test(text);
}
