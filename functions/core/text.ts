/** Names from configuration and from webhooks compare case- and space-insensitively ("In Review" = "in review "). */
export function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
