/** Names from configuration and from webhooks compare case- and space-insensitively ("In Review" = "in review "). */
export function sameName(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/**
 * A service or repository name reduced to lower-case words joined by `-`, so a PagerDuty
 * service "Checkout API", a configured `checkout-api` and a repository `acme/checkout_api`
 * (its name part) are the same name.
 */
export function nameKey(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
